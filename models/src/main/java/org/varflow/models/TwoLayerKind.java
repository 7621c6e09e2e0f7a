package org.varflow.models;

import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.Model;
import org.varflow.api.problem.ModelKind;
import org.varflow.api.problem.TwoLayerModel;

/** {@code model.kind: two-layer}: the mean-field two-layer network f(x) = ∫ a σ(w·x) ρ(da, dw). */
public final class TwoLayerKind implements ModelKind {
  private static final OptionSchema OPTIONS = Activations.declare(OptionSchema.builder())
      .bool("bias", false, "append a constant input 1: x ← (x, 1)")
      .build();

  @Override
  public String id() {
    return TwoLayerModel.KIND;
  }

  @Override
  public String description() {
    return "mean-field two-layer network f(x) = ∫ a σ(w·x) ρ(da, dw)";
  }

  @Override
  public OptionSchema options() {
    return OPTIONS;
  }

  @Override
  public Model create(Options node, Dataset train) {
    return new TwoLayerModel(Activations.read(node), node.getBoolean("bias"));
  }

  @Override
  public String defaultDiscretization() {
    return "particles";
  }
}
