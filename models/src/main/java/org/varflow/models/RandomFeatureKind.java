package org.varflow.models;

import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.FeatureDistribution;
import org.varflow.api.problem.Model;
import org.varflow.api.problem.ModelKind;
import org.varflow.api.problem.RandomFeatureModel;

/** {@code model.kind: random-features}: f(x) = ∫ a(w) σ(w·x) π(dw) with the features w ~ π fixed. */
public final class RandomFeatureKind implements ModelKind {
  private static final OptionSchema OPTIONS = Activations.declare(OptionSchema.builder())
      .bool("bias", false, "append a constant input 1: x ← (x, 1)")
      .node("features", "the feature distribution π", OptionSchema.builder()
          .choice("distribution", "gaussian", "gaussian: w ~ N(0, s² I/d); sphere: w uniform on the sphere of radius s",
              FeatureDistribution.KINDS)
          .number("scale", 1.0, "s").positive()
          .build())
      .build();

  @Override
  public String id() {
    return RandomFeatureModel.KIND;
  }

  @Override
  public String description() {
    return "random feature model f(x) = ∫ a(w) σ(w·x) π(dw), w ~ π fixed";
  }

  @Override
  public OptionSchema options() {
    return OPTIONS;
  }

  @Override
  public Model create(Options node, Dataset train) {
    Options features = node.sub("features").orElseThrow();
    return new RandomFeatureModel(Activations.read(node), node.getBoolean("bias"),
        new FeatureDistribution(features.getString("distribution"), features.getDouble("scale")));
  }

  @Override
  public String defaultDiscretization() {
    return "random-features";
  }
}
