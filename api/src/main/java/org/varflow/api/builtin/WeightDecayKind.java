package org.varflow.api.builtin;

import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.problem.Regularizer;
import org.varflow.api.problem.RegularizerKind;
import org.varflow.api.problem.WeightDecay;

/** {@code regularizers[i].kind: weight-decay}: (κ/2) ∫ |θ|² dρ on the parameter measure. */
public final class WeightDecayKind implements RegularizerKind {
  @Override
  public String id() {
    return WeightDecay.KIND;
  }

  @Override
  public String description() {
    return "(κ/2) ∫ |θ|² dρ on the parameter measure";
  }

  @Override
  public OptionSchema options() {
    return Strength.OPTIONS;
  }

  @Override
  public Regularizer create(Options node) {
    return new WeightDecay(node.getDouble("strength"));
  }
}
