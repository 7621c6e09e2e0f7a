package org.varflow.model.flow.kind;

import java.util.Arrays;
import java.util.Locale;
import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.SpecException;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.Model;
import org.varflow.api.problem.ModelKind;
import org.varflow.api.tensor.Activation;
import org.varflow.model.flow.FlowModel;

/**
 * {@code model.kind: flow}: the continuous-depth ResNet {@link FlowModel}, with the options {@code activation} (σ,
 * default relu), {@code dim} (D, default d) and {@code embedding} ({@code identity}, default, or {@code random}).
 */
public final class FlowKind implements ModelKind {
  private static final OptionSchema OPTIONS = OptionSchema.builder()
      .choice("activation", Activation.RELU.id(), "σ", Arrays.stream(Activation.values()).map(Activation::id).toList())
      .integer("dim", null, "D, the dimension of the flow's state z").atLeast(1).computedDefault("d, the input dimension")
      .choice("embedding", FlowModel.Embedding.IDENTITY.id(), "z(0) = Vx: identity pads x with zeros (D ≥ d); random"
          + " draws V_ki ~ N(0, 1/D) once from the run's seed",
          Arrays.stream(FlowModel.Embedding.values()).map(FlowModel.Embedding::id).toList())
      .build();

  @Override
  public String id() {
    return FlowModel.KIND;
  }

  @Override
  public String description() {
    return "continuous-depth ResNet z(0) = Vx, dz/dτ = E_ρτ[a σ(w·z)], f = 1ᵀz(1)";
  }

  @Override
  public OptionSchema options() {
    return OPTIONS;
  }

  @Override
  public Model create(Options node, Dataset train) {
    int dim = node.getInt("dim", train.d());
    FlowModel.Embedding embedding = FlowModel.Embedding.valueOf(node.getString("embedding").toUpperCase(Locale.ROOT));
    if (embedding == FlowModel.Embedding.IDENTITY && dim < train.d()) {
      throw new SpecException(node.keyPath("dim"), "the identity embedding pads x with zeros, so D = " + dim
          + " must be at least the input dimension d = " + train.d() + "; raise it or take embedding: random");
    }
    return new FlowModel(Activation.parse(node.getString("activation")), dim, embedding);
  }

  @Override
  public String defaultDiscretization() {
    return "resnet";
  }
}
