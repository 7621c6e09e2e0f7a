package org.varflow.api.problem;

import java.util.List;

/**
 * The weight ω of the weighted Sobolev space H¹_ω(Ω): {@code uniform} ω = 1, or {@code gaussian}
 * ω(θ) = exp(−|θ|²/(2s²)). Both are separable with ω(0) = 1 — ω(θ) is the product of ω at the
 * points {@link ParameterDomain#axisPoint} of each coordinate — which tensor-product discretizations use.
 *
 * @param kind {@code uniform} or {@code gaussian}
 * @param scale s &gt; 0 (unused for uniform)
 */
public record DensityWeight(String kind, double scale) {
  /** The accepted kinds. */
  public static final List<String> KINDS = List.of("uniform", "gaussian");

  /** Checks kind and scale. */
  public DensityWeight {
    if (!KINDS.contains(kind)) {
      throw new IllegalArgumentException("'" + kind + "' is not one of " + String.join(", ", KINDS));
    }
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException("scale must be a positive finite number, got " + scale);
    }
  }

  /** @return ω(θ) */
  public double value(double[] theta) {
    if (kind.equals("uniform")) {
      return 1.0;
    }
    double r2 = 0;
    for (double t : theta) {
      r2 += t * t;
    }
    return Math.exp(-r2 / (2 * scale * scale));
  }
}
