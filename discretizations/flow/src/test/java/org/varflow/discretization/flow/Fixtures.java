package org.varflow.discretization.flow;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Discretization;
import org.varflow.api.flow.FlowContext;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.Loss;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.problem.WeightDecay;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.model.flow.FlowModel;

/** Small flow problems and helpers the tests share. */
final class Fixtures {
  static final PluginRegistry REGISTRY = PluginRegistry.load(Fixtures.class.getClassLoader());
  static final double KAPPA = 0.05;

  private Fixtures() {}

  /** @return n samples x ~ N(0, I_d), y = sin(x_0) + x_1/2 */
  static Dataset data(int n, int d) {
    SplittableRandom rng = new SplittableRandom(42);
    double[] x = new double[n * d];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        x[i * d + k] = rng.nextGaussian();
      }
      y[i] = Math.sin(x[i * d]) + 0.5 * x[i * d + 1];
    }
    return new Dataset("flow-test", n, d, x, y);
  }

  /** @return the tanh flow model of dimension D on 12 samples in R², with weight decay κ when {@code decay} */
  static VariationalProblem problem(int dim, FlowModel.Embedding embedding, boolean decay) {
    return new VariationalProblem(data(12, 2), null, new FlowModel(Activation.TANH, dim, embedding), Loss.SQUARED,
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

  /** @return max_i |x_i − y_i| / max_i |y_i| */
  static double relativeError(double[] x, double[] y) {
    double diff = 0;
    double scale = 0;
    for (int i = 0; i < x.length; i++) {
      diff = Math.max(diff, Math.abs(x[i] - y[i]));
      scale = Math.max(scale, Math.abs(y[i]));
    }
    return diff / scale;
  }
}
