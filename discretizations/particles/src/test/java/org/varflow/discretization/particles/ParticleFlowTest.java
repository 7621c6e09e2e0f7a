package org.varflow.discretization.particles;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.flow.FlowContext;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.Loss;
import org.varflow.api.problem.TwoLayerModel;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.problem.WeightDecay;
import org.varflow.api.solve.StepRecord;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Backend;
import org.varflow.api.tensor.Precision;
import org.varflow.kit.DiscretizationKit;
import org.varflow.kit.Metric;

/** The particle flow against central differences and a hand-written gradient-descent step, on every backend. */
class ParticleFlowTest {
  private static final PluginRegistry REGISTRY = PluginRegistry.load(ParticleFlowTest.class.getClassLoader());
  private static final double KAPPA = 0.03;

  static Stream<Arguments> backendsAndActivations() {
    return REGISTRY.backends().stream().filter(Backend::isAvailable)
        .flatMap(b -> Stream.of(Activation.values()).map(act -> Arguments.of(b.id(), act)));
  }

  @Test
  void runsOnTheJvmAndNd4jBackends() {
    assertThat(REGISTRY.backends()).extracting(Backend::id).contains("jvm", "nd4j-cpu");
    assertThat(REGISTRY.backend("nd4j-cpu").isAvailable()).isTrue();
  }

  /** −v/m equals ∇E from central differences: the kit's gradient check in the metric I/m. */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("backendsAndActivations")
  void velocityIsMinusMTimesTheGradient(String backendId, Activation activation) {
    int m = 7;
    DiscretizationKit.of(new ParticleDiscretization(), problem(activation), Map.of("width", m)).seed(11)
        .metric(Metric.scaled(1.0 / m)).velocityIsTheMetricGradient(REGISTRY.backend(backendId));
  }

  /** One explicit Euler step of size h is one gradient-descent step with learning rate h·m. */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("backendsAndActivations")
  void oneEulerStepIsGradientDescentWithLearningRateHm(String backendId, Activation activation) {
    int m = 5;
    double h = 0.05;
    DiscreteFlow flow = flow(backendId, activation, m, 3);
    double[] a = flow.state().get("a").toDoubleArray();
    double[] w = flow.state().get("W").toDoubleArray();
    Dataset data = data();
    int d = data.d() + 1;
    double[] x = data.inputsWithBias();
    // hand-written gradient of L(a, W) = (1/2n) Σ (f − y)² + (κ/2m) Σ (a_j² + |w_j|²), f = (1/m) Σ a_j σ(w_j·x)
    double[] ga = new double[m];
    double[] gw = new double[m * d];
    for (int i = 0; i < data.n(); i++) {
      double[] z = new double[m];
      double f = 0;
      for (int j = 0; j < m; j++) {
        for (int k = 0; k < d; k++) {
          z[j] += w[j * d + k] * x[i * d + k];
        }
        f += a[j] * activation.value(z[j]) / m;
      }
      double r = f - data.y()[i];
      for (int j = 0; j < m; j++) {
        ga[j] += r * activation.value(z[j]) / (m * data.n());
        for (int k = 0; k < d; k++) {
          gw[j * d + k] += r * a[j] * activation.derivative(z[j]) * x[i * d + k] / (m * data.n());
        }
      }
    }
    double lr = h * m;
    double[] aNext = a.clone();
    double[] wNext = w.clone();
    for (int j = 0; j < m; j++) {
      aNext[j] -= lr * (ga[j] + KAPPA * a[j] / m);
    }
    for (int k = 0; k < wNext.length; k++) {
      wNext[k] -= lr * (gw[k] + KAPPA * w[k] / m);
    }

    REGISTRY.solver("explicit-euler").solve(flow, Map.of("step", h, "steps", 1), (StepRecord r) -> true);

    assertClose(flow.state().get("a").toDoubleArray(), aNext, 1e-13);
    assertClose(flow.state().get("W").toDoubleArray(), wNext, 1e-13);
  }

  /** The energy parts are the risk on the training data and (κ/2m) Σ |θ_j|². */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("backendsAndActivations")
  void energyIsRiskPlusWeightDecay(String backendId, Activation activation) {
    int m = 6;
    DiscreteFlow flow = flow(backendId, activation, m, 5);
    Evaluation e = flow.evaluate(false);
    double decay = KAPPA / (2 * m) * (flow.state().get("a").squaredNorm() + flow.state().get("W").squaredNorm());
    assertThat(e.parts().get(WeightDecay.KIND)).isCloseTo(decay, org.assertj.core.data.Offset.offset(1e-14));
    assertThat(e.risk()).isCloseTo(flow.risk(data()), org.assertj.core.data.Offset.offset(1e-14));
    assertThat(e.energy()).isCloseTo(e.risk() + decay, org.assertj.core.data.Offset.offset(1e-14));
  }

  private static void assertClose(double[] actual, double[] expected, double tol) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < actual.length; i++) {
      assertThat(actual[i]).as("element %d", i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(tol * (1 + Math.abs(expected[i]))));
    }
  }

  static Dataset data() {
    SplittableRandom rng = new SplittableRandom(42);
    int n = 40;
    int d = 3;
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

  /** @return the two-layer model with a bias and weight decay κ on {@link #data()} */
  static VariationalProblem problem(Activation activation) {
    return new VariationalProblem(data(), null, new TwoLayerModel(activation, true), Loss.SQUARED,
        List.of(new WeightDecay(KAPPA)));
  }

  static DiscreteFlow flow(String backendId, Activation activation, int m, long seed) {
    return new ParticleDiscretization().discretize(problem(activation), Map.of("width", m),
        new FlowContext(REGISTRY.backend(backendId), Precision.FLOAT64, seed));
  }
}
