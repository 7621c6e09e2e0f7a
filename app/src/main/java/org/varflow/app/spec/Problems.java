package org.varflow.app.spec;

import java.util.ArrayList;
import java.util.List;
import org.varflow.api.Options;
import org.varflow.api.SpecException;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.Loss;
import org.varflow.api.problem.Model;
import org.varflow.api.problem.Regularizer;
import org.varflow.api.problem.TwoLayerModel;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.problem.WeightDecay;
import org.varflow.api.tensor.Activation;

/** Builds the continuous problem from the {@code model} and {@code regularizers} nodes of a spec. */
public final class Problems {
  private static final List<String> MODELS = List.of(TwoLayerModel.KIND);
  private static final List<String> REGULARIZERS = List.of(WeightDecay.KIND);

  private Problems() {}

  /**
   * @return the problem with squared loss over {@code train}
   * @throws SpecException naming the bad key
   */
  public static VariationalProblem build(Options root, Dataset train, Dataset test) {
    return new VariationalProblem(train, test, model(root.subOrEmpty("model")), Loss.SQUARED, regularizers(root));
  }

  private static Model model(Options node) {
    node.getChoice("kind", TwoLayerModel.KIND, MODELS);
    String activation = node.getString("activation", Activation.RELU.id());
    try {
      return new TwoLayerModel(Activation.parse(activation), node.getBoolean("bias", false));
    } catch (IllegalArgumentException e) {
      throw new SpecException(node.keyPath("activation"), e.getMessage());
    }
  }

  private static List<Regularizer> regularizers(Options root) {
    List<Regularizer> out = new ArrayList<>();
    for (Options r : root.list("regularizers")) {
      r.getChoice("kind", null, REGULARIZERS);
      double strength = r.requireDouble("strength");
      if (!(strength >= 0) || Double.isInfinite(strength)) {
        throw new SpecException(r.keyPath("strength"), "must be a finite number ≥ 0, got " + strength);
      }
      out.add(new WeightDecay(strength));
    }
    return out;
  }
}
