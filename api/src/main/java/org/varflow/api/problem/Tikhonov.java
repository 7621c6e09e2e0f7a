package org.varflow.api.problem;

/**
 * Tikhonov regularization (α/2) ∫ a(w)² π(dw) of the outer function of a random feature model; for m
 * Monte Carlo features (α/2m) Σ_j a_j². It makes the energy α-convex in L²(π).
 *
 * @param strength α ≥ 0
 */
public record Tikhonov(double strength) implements Regularizer {
  /** The {@code regularizers[i].kind} of this regularizer. */
  public static final String KIND = "tikhonov";

  @Override
  public String kind() {
    return KIND;
  }
}
