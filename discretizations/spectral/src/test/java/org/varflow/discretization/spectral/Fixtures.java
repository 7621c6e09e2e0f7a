package org.varflow.discretization.spectral;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.varflow.api.Options;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.FlowContext;
import org.varflow.api.flow.LinearFlow;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.DensityModel;
import org.varflow.api.problem.DensityWeight;
import org.varflow.api.problem.Loss;
import org.varflow.api.problem.ParameterDomain;
import org.varflow.api.problem.Regularizer;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.solve.StepRecord;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Backend;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;

/** Data, problems, flows, solves and small numerics shared by the tests; everything in float64. */
final class Fixtures {
  static final PluginRegistry REGISTRY = PluginRegistry.load(Fixtures.class.getClassLoader());
  /** Half-width of the box Ω = [−R, R]^k used throughout. */
  static final double R = 2.0;

  private Fixtures() {}

  /** @return the ids of the available backends (jvm and nd4j-cpu here) */
  static Stream<String> backends() {
    return REGISTRY.backends().stream().filter(Backend::isAvailable).map(Backend::id);
  }

  /** n points x ~ U[−1, 1]^d, y = sin(2x₁) + x_d/2 + 0.1·noise. */
  static Dataset data(int n, int d, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] x = new double[n * d];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        x[i * d + k] = rng.nextDouble(-1, 1);
      }
      y[i] = Math.sin(2 * x[i * d]) + 0.5 * x[i * d + d - 1] + 0.1 * rng.nextGaussian();
    }
    return new Dataset("spectral-test", n, d, x, y);
  }

  /** The box [−R, R]^k. */
  static ParameterDomain box(int k) {
    double[] lo = new double[k];
    double[] hi = new double[k];
    java.util.Arrays.fill(lo, -R);
    java.util.Arrays.fill(hi, R);
    return new ParameterDomain(lo, hi);
  }

  static VariationalProblem problem(Dataset train, Activation sigma, DensityWeight weight, Regularizer... regs) {
    return new VariationalProblem(train, null, new DensityModel(sigma, box(train.d() + 1), weight), Loss.SQUARED,
        List.of(regs));
  }

  /** Discretizes through the registry with {@code degree} and the given extra options. */
  static DiscreteFlow flow(VariationalProblem problem, String backend, long seed, int degree, Map<String, Object> extra) {
    Map<String, Object> node = new LinkedHashMap<>(extra);
    node.putIfAbsent("degree", degree);
    return REGISTRY.discretization("spectral").discretize(problem, Options.of("discretization", node),
        new FlowContext(REGISTRY.backend(backend), Precision.FLOAT64, seed));
  }

  /** A flow started from c ~ N(0, scale²). */
  static DiscreteFlow gaussianFlow(VariationalProblem problem, String backend, long seed, int degree, double scale) {
    Map<String, Object> init = new LinkedHashMap<>(Map.of("kind", "gaussian", "scale", scale));
    return flow(problem, backend, seed, degree, Map.of("init", init));
  }

  /** c ← values. */
  static void set(DiscreteFlow flow, double[] values) {
    Tensor t = flow.state().get("c");
    t.scalei(0).axpyi(1.0, t.factory().of(Precision.FLOAT64, values, t.shape()));
  }

  /** Runs a registry solver with the given options; @return the recorded (time, energy) pairs */
  static List<double[]> solve(DiscreteFlow flow, String solver, Map<String, Object> options) {
    Options node = Options.of("solver", new LinkedHashMap<>(options));
    List<double[]> records = new ArrayList<>();
    REGISTRY.solver(solver).solve(flow, node, (StepRecord r) -> {
      records.add(new double[] {r.time(), r.evaluation().energy()});
      return true;
    });
    return records;
  }

  /** @return an upper estimate of λ_max(A): 1.1 × 50 power iterations on {@link LinearFlow#apply} */
  static double largestEigenvalue(LinearFlow linear, int size) {
    Tensor x = linear.rhs().factory().normal(Precision.FLOAT64, 3, 0, 1, size);
    double lambda = 0;
    for (int it = 0; it < 50; it++) {
      x.scalei(1 / Math.sqrt(x.squaredNorm()));
      Tensor ax = linear.apply(x);
      lambda = x.dot(ax);
      x = ax;
    }
    return 1.1 * lambda;
  }

  static double relativeDifference(double[] actual, double[] expected) {
    double err = 0;
    double norm = 0;
    for (int i = 0; i < actual.length; i++) {
      err += (actual[i] - expected[i]) * (actual[i] - expected[i]);
      norm += expected[i] * expected[i];
    }
    return Math.sqrt(err / norm);
  }

  static double maxRelativeDifference(double[] actual, double[] expected) {
    double err = 0;
    double scale = 0;
    for (int i = 0; i < actual.length; i++) {
      err = Math.max(err, Math.abs(actual[i] - expected[i]));
      scale = Math.max(scale, Math.abs(expected[i]));
    }
    return err / scale;
  }

  /** @return the least-squares slope of y against x */
  static double slope(double[] x, double[] y) {
    double mx = 0;
    double my = 0;
    for (int i = 0; i < x.length; i++) {
      mx += x[i] / x.length;
      my += y[i] / x.length;
    }
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
    }
    return sxy / sxx;
  }

  /** @return R² of the least-squares line of y against x */
  static double rSquared(double[] x, double[] y) {
    double b = slope(x, y);
    double mx = 0;
    double my = 0;
    for (int i = 0; i < x.length; i++) {
      mx += x[i] / x.length;
      my += y[i] / x.length;
    }
    double residual = 0;
    double total = 0;
    for (int i = 0; i < x.length; i++) {
      double fit = my + b * (x[i] - mx);
      residual += (y[i] - fit) * (y[i] - fit);
      total += (y[i] - my) * (y[i] - my);
    }
    return 1 - residual / total;
  }
}
