package org.varflow.api.problem;

import org.varflow.api.tensor.Activation;

/**
 * The mean-field two-layer network f(x; ρ) = ∫ a σ(w·x) ρ(da, dw), with x ← (x, 1) when {@code bias}.
 *
 * @param activation σ
 * @param bias whether a constant input 1 is appended, so that w carries a bias
 */
public record TwoLayerModel(Activation activation, boolean bias) implements Model {
  /** The {@code model.kind} of this model. */
  public static final String KIND = "two-layer";

  @Override
  public String kind() {
    return KIND;
  }
}
