package org.varflow.app.spec;

import java.util.ArrayList;
import java.util.List;
import org.varflow.api.Options;
import org.varflow.api.SpecException;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.FeatureDistribution;
import org.varflow.api.problem.Loss;
import org.varflow.api.problem.Model;
import org.varflow.api.problem.RandomFeatureModel;
import org.varflow.api.problem.Regularizer;
import org.varflow.api.problem.Tikhonov;
import org.varflow.api.problem.TwoLayerModel;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.problem.WeightDecay;
import org.varflow.api.tensor.Activation;

/** Builds the continuous problem from the {@code model} and {@code regularizers} nodes of a spec. */
public final class Problems {
  private static final List<String> MODELS = List.of(TwoLayerModel.KIND, RandomFeatureModel.KIND);
  private static final List<String> REGULARIZERS = List.of(WeightDecay.KIND, Tikhonov.KIND);

  private Problems() {}

  /**
   * @return the problem with squared loss over {@code train}
   * @throws SpecException naming the bad key
   */
  public static VariationalProblem build(Options root, Dataset train, Dataset test) {
    return new VariationalProblem(train, test, model(root.subOrEmpty("model")), Loss.SQUARED, regularizers(root));
  }

  /**
   * @return the discretization used when {@code discretization.kind} is not given: {@code particles} for
   *     the two-layer model, {@code random-features} for the random feature model
   */
  public static String defaultDiscretization(Model model) {
    return model instanceof RandomFeatureModel ? "random-features" : "particles";
  }

  private static Model model(Options node) {
    String kind = node.getChoice("kind", TwoLayerModel.KIND, MODELS);
    Activation activation;
    try {
      activation = Activation.parse(node.getString("activation", Activation.RELU.id()));
    } catch (IllegalArgumentException e) {
      throw new SpecException(node.keyPath("activation"), e.getMessage());
    }
    boolean bias = node.getBoolean("bias", false);
    if (kind.equals(TwoLayerModel.KIND)) {
      return new TwoLayerModel(activation, bias);
    }
    Options features = node.subOrEmpty("features");
    String distribution = features.getChoice("distribution", "gaussian", FeatureDistribution.KINDS);
    try {
      return new RandomFeatureModel(activation, bias, new FeatureDistribution(distribution, features.getDouble("scale", 1.0)));
    } catch (IllegalArgumentException e) {
      throw new SpecException(features.keyPath("scale"), e.getMessage());
    }
  }

  private static List<Regularizer> regularizers(Options root) {
    List<Regularizer> out = new ArrayList<>();
    for (Options r : root.list("regularizers")) {
      String kind = r.getChoice("kind", null, REGULARIZERS);
      double strength = r.requireDouble("strength");
      if (!(strength >= 0) || Double.isInfinite(strength)) {
        throw new SpecException(r.keyPath("strength"), "must be a finite number ≥ 0, got " + strength);
      }
      out.add(kind.equals(Tikhonov.KIND) ? new Tikhonov(strength) : new WeightDecay(strength));
    }
    return out;
  }
}
