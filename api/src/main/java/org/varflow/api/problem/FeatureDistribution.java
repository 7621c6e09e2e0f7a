package org.varflow.api.problem;

import java.util.List;

/**
 * The fixed feature distribution π of a random feature model.
 *
 * @param kind {@code gaussian}: w ~ N(0, s² I/d); {@code sphere}: w uniform on the sphere of radius s
 * @param scale s &gt; 0
 */
public record FeatureDistribution(String kind, double scale) {
  /** The accepted kinds. */
  public static final List<String> KINDS = List.of("gaussian", "sphere");

  /** Checks kind and scale. */
  public FeatureDistribution {
    if (!KINDS.contains(kind)) {
      throw new IllegalArgumentException("'" + kind + "' is not one of " + String.join(", ", KINDS));
    }
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException("scale must be a positive finite number, got " + scale);
    }
  }
}
