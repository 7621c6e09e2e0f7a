package org.varflow.models;

import org.varflow.api.problem.WeightDecay;

/** {@code regularizers[i].kind: weight-decay}: (κ/2) ∫ |θ|² dρ on the parameter measure. */
public final class WeightDecayKind extends Strength {
  /** The provider. */
  public WeightDecayKind() {
    super(WeightDecay.KIND, "(κ/2) ∫ |θ|² dρ on the parameter measure", WeightDecay::new);
  }
}
