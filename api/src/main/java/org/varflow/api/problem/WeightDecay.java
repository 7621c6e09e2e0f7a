package org.varflow.api.problem;

/**
 * Weight decay (κ/2) ∫ |θ|² dρ over the parameter measure; for m particles (κ/2m) Σ_j |θ_j|².
 *
 * @param strength κ ≥ 0
 */
public record WeightDecay(double strength) implements Regularizer {
  /** The {@code regularizers[i].kind} of this regularizer. */
  public static final String KIND = "weight-decay";

  @Override
  public String kind() {
    return KIND;
  }
}
