package org.varflow.models;

import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.problem.Regularizer;
import org.varflow.api.problem.RegularizerKind;
import org.varflow.api.problem.Sobolev;

/** {@code regularizers[i].kind: sobolev}: (α/2) ∫_Ω (g|∇u|² + l u²) ω dθ on a parameter density. */
public final class SobolevKind implements RegularizerKind {
  private static final OptionSchema OPTIONS = Strength.declare(OptionSchema.builder())
      .number("gradient", 1.0, "g, the weight of |∇u|²").atLeast(0)
      .number("l2", 1.0, "l, the weight of u²").atLeast(0)
      .build();

  @Override
  public String id() {
    return Sobolev.KIND;
  }

  @Override
  public String description() {
    return "weighted Sobolev (α/2) ∫_Ω (g|∇u|² + l u²) ω dθ on a parameter density";
  }

  @Override
  public OptionSchema options() {
    return OPTIONS;
  }

  @Override
  public Regularizer create(Options node) {
    return new Sobolev(node.getDouble("strength"), node.getDouble("gradient"), node.getDouble("l2"));
  }
}
