package org.varflow.api.flow;

import java.util.Map;
import org.varflow.api.tensor.Tensor;

/**
 * The energy of a discrete flow at its current state, its parts, and optionally the velocity.
 *
 * @param energy E = risk + Σ regularizers
 * @param parts {@code risk} and each regularizer's energy by kind, in a stable order
 * @param velocity the metric gradient −G⁻¹∇E per moving state tensor (names and shapes from
 *     {@link DiscreteFlow#state()}; a state tensor without an entry is frozen), or null when not requested;
 *     new tensors owned by the caller, who releases them
 */
public record Evaluation(double energy, Map<String, Double> parts, Map<String, Tensor> velocity) {
  /** Name of the risk in {@link #parts()}. */
  public static final String RISK = "risk";

  /** @return the risk part of the energy */
  public double risk() {
    return parts.get(RISK);
  }
}
