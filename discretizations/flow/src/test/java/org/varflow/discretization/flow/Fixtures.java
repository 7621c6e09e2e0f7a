package org.varflow.discretization.flow;

import java.util.List;
import java.util.Map;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Discretization;
import org.varflow.api.flow.FlowContext;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.api.problem.Loss;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.problem.WeightDecay;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.discretization.testkit.DensityFixtures;
import org.varflow.model.flow.FlowModel;

/** Small flow problems and helpers the tests share. */
final class Fixtures {
  static final PluginRegistry REGISTRY = PluginRegistry.load(Fixtures.class.getClassLoader());
  static final double KAPPA = 0.05;

  private Fixtures() {}

  /** @return the tanh flow model of dimension D on 12 samples in R² (y = sin(2x₁) + x₂/2 + noise), with weight decay κ when {@code decay} */
  static VariationalProblem problem(int dim, FlowModel.Embedding embedding, boolean decay) {
    return new VariationalProblem(DensityFixtures.data(12, 2, 42), null, new FlowModel(Activation.TANH, dim, embedding), Loss.SQUARED,
        decay ? List.of(new WeightDecay(KAPPA)) : List.of());
  }

  static Discretization discretization(String id) {
    return REGISTRY.discretization(id);
  }

  static DiscreteFlow flow(String id, String backend, VariationalProblem problem, Map<String, ?> options,
      Precision precision) {
    return discretization(id).discretize(problem, options, new FlowContext(REGISTRY.backend(backend), precision, 7));
  }

  /** t ← values, exactly */
  static void set(Tensor t, double[] values) {
    Tensor v = t.factory().of(t.precision(), values, t.shape());
    t.scalei(0).axpyi(1, v);
    v.release();
  }
}
