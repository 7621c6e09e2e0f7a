package org.varflow.api.builtin;

import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.problem.Regularizer;
import org.varflow.api.problem.RegularizerKind;
import org.varflow.api.problem.Tikhonov;

/** {@code regularizers[i].kind: tikhonov}: (α/2) ∫ a² dπ on the outer function of random features. */
public final class TikhonovKind implements RegularizerKind {
  @Override
  public String id() {
    return Tikhonov.KIND;
  }

  @Override
  public String description() {
    return "(α/2) ∫ a² dπ on the outer function of random features";
  }

  @Override
  public OptionSchema options() {
    return Strength.OPTIONS;
  }

  @Override
  public Regularizer create(Options node) {
    return new Tikhonov(node.getDouble("strength"));
  }
}
