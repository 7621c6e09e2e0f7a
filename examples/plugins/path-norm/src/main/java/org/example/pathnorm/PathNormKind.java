package org.example.pathnorm;

import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.problem.Regularizer;
import org.varflow.api.problem.RegularizerKind;

/** {@code regularizers[i].kind: path-norm} with {@code strength} β and {@code smoothing} ε. */
public final class PathNormKind implements RegularizerKind {
  private static final OptionSchema OPTIONS = OptionSchema.builder()
      .number("strength", null, "β, the factor of the path norm").atLeast(0).required()
      .number("smoothing", 1e-6, "ε, which makes the norm differentiable at 0").positive()
      .build();

  @Override
  public String id() {
    return "path-norm";
  }

  @Override
  public String description() {
    return "smoothed path norm (β/m) Σ_j √(a_j² + ε) √(|w_j|² + ε)";
  }

  @Override
  public OptionSchema options() {
    return OPTIONS;
  }

  @Override
  public Regularizer create(Options node) {
    return new PathNorm(node.getDouble("strength"), node.getDouble("smoothing"));
  }
}
