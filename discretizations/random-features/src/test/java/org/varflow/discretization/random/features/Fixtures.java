package org.varflow.discretization.random.features;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.FlowContext;
import org.varflow.api.flow.LinearFlow;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.FeatureDistribution;
import org.varflow.api.problem.Loss;
import org.varflow.api.problem.RandomFeatureModel;
import org.varflow.api.problem.Regularizer;
import org.varflow.api.problem.Tikhonov;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Backend;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;
import org.varflow.discretization.testkit.Measures;
import org.varflow.kit.Metric;

/** Data, problems, flows and small linear algebra shared by the tests; everything in float64. */
final class Fixtures extends Measures {
  static final PluginRegistry REGISTRY = PluginRegistry.load(Fixtures.class.getClassLoader());

  private Fixtures() {}

  /** @return the ids of the available backends (jvm and nd4j-cpu here) */
  static Stream<String> backends() {
    return REGISTRY.backends().stream().filter(Backend::isAvailable).map(Backend::id);
  }

  static TensorFactory tensors(String backendId) {
    return REGISTRY.backend(backendId).tensors();
  }

  /** n points x ~ N(0, I_d), y = sin(x₁) + x₂/2. */
  static Dataset data(int n, int d, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] x = new double[n * d];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        x[i * d + k] = rng.nextGaussian();
      }
      y[i] = Math.sin(x[i * d]) + 0.5 * x[i * d + 1];
    }
    return new Dataset("test", n, d, x, y);
  }

  static VariationalProblem problem(Dataset train, Activation sigma, String pi, double scale, double alpha) {
    List<Regularizer> regs = alpha >= 0 ? List.of(new Tikhonov(alpha)) : List.of();
    return new VariationalProblem(train, null, new RandomFeatureModel(sigma, true, new FeatureDistribution(pi, scale)),
        Loss.SQUARED, regs);
  }

  /** Discretizes through the registry with the given {@code discretization} options. */
  static DiscreteFlow flow(String id, VariationalProblem problem, String backendId, long seed, Map<String, Object> options) {
    return REGISTRY.discretization(id).discretize(problem, options,
        new FlowContext(REGISTRY.backend(backendId), Precision.FLOAT64, seed));
  }

  /** state[name] ← values. */
  static void set(DiscreteFlow flow, String name, double[] values, String backendId) {
    Tensor t = flow.state().get(name);
    t.scalei(0).axpyi(1.0, tensors(backendId).of(Precision.FLOAT64, values, t.shape()));
  }

  static double[] gaussian(int k, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] v = new double[k];
    for (int i = 0; i < k; i++) {
      v[i] = rng.nextGaussian();
    }
    return v;
  }

  /** Solves A u = b by conjugate gradients on {@link LinearFlow#apply}; A − αI has rank ≤ n, so ≤ n+1 steps. */
  static double[] conjugateGradient(LinearFlow linear, TensorFactory tensors, int k) {
    Tensor u = tensors.zeros(Precision.FLOAT64, k);
    Tensor r = linear.rhs().copy();
    Tensor p = r.copy();
    double rr = r.squaredNorm();
    double stop = 1e-30 * rr;
    for (int it = 0; it < 500 && rr > stop; it++) {
      Tensor ap = linear.apply(p);
      double step = rr / p.dot(ap);
      u.axpyi(step, p);
      r.axpyi(-step, ap);
      double next = r.squaredNorm();
      p = r.copy().axpyi(next / rr, p);
      rr = next;
    }
    return u.toDoubleArray();
  }

  /** @return the least-squares slope of log y against log x */
  static double logLogSlope(double[] x, double[] y) {
    double mx = 0;
    double my = 0;
    for (int i = 0; i < x.length; i++) {
      mx += Math.log(x[i]) / x.length;
      my += Math.log(y[i]) / x.length;
    }
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (Math.log(x[i]) - mx) * (Math.log(y[i]) - my);
      sxx += (Math.log(x[i]) - mx) * (Math.log(x[i]) - mx);
    }
    return sxy / sxx;
  }

  static double meanSquaredDifference(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (a[i] - b[i]) / a.length;
    }
    return s;
  }

  static Map<String, Object> width(int m) {
    return Map.of("width", m);
  }

  /**
   * @return the metric of the kernel flow, G = K, recovered from its operator A = K/n + αI as
   *     K v = n (A v − α v)
   */
  static Metric kernelMetric(int n, double alpha) {
    return (flow, velocity) -> {
      LinearFlow linear = flow.linear().orElseThrow();
      Tensor v = linear.rhs().factory().of(linear.rhs().precision(), velocity.get("c"), n);
      Tensor av = linear.operator().matmul(v, false, false, 1.0);
      double[] kv = av.toDoubleArray();
      for (int i = 0; i < n; i++) {
        kv[i] = n * (kv[i] - alpha * velocity.get("c")[i]);
      }
      Tensor.releaseAll(v, av);
      return Map.of("c", kv);
    };
  }
}
