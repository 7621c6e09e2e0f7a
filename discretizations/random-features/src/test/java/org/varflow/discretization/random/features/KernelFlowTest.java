package org.varflow.discretization.random.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.varflow.api.Options;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.flow.FlowContext;
import org.varflow.api.flow.LinearFlow;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.FeatureDistribution;
import org.varflow.api.problem.RandomFeatureModel;
import org.varflow.api.problem.Tikhonov;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;
import org.varflow.kit.DiscretizationKit;

/** The kernel (infinite-width) flow: closed-form kernels, its L²(π) metric, linear structure, on every backend. */
class KernelFlowTest {
  private static final double ALPHA = 0.05;
  private static final Dataset DATA = Fixtures.data(40, 3, 42);

  static Stream<Arguments> closedForms() {
    return Fixtures.backends().flatMap(b -> Stream.of(
        Arguments.of(b, Activation.RELU, "gaussian"),
        Arguments.of(b, Activation.RELU, "sphere"),
        Arguments.of(b, Activation.SIN, "gaussian")));
  }

  static Stream<Arguments> backendsAndActivations() {
    return Fixtures.backends().flatMap(b -> Stream.of(Arguments.of(b, Activation.RELU), Arguments.of(b, Activation.TANH)));
  }

  static Stream<String> backends() {
    return Fixtures.backends();
  }

  /** Closed form against (1/N) Σ σ(w_j·x)σ(w_j·x') over N = 2·10⁵ features: within 4 standard errors. */
  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("closedForms")
  void closedFormMatchesMonteCarlo(String backend, Activation sigma, String pi) {
    int d = 3;
    double[] x = {
        0.3, -1.2, 0.8,
        -0.3, 1.2, -0.8, // −x₀
        0.6, -2.4, 1.6, // 2x₀
        1.0, 0.5, 0.0,
        0.0, 0.0, 0.0, // |x| = 0
        -0.7, 0.1, 1.9};
    int n = x.length / d;
    FeatureDistribution dist = new FeatureDistribution(pi, 1.5);
    RandomFeatureModel model = new RandomFeatureModel(sigma, false, dist);
    TensorFactory tensors = Fixtures.tensors(backend);
    Tensor xs = tensors.of(Precision.FLOAT64, x, n, d);
    FeatureKernel kernel = FeatureKernel.of(model, d, 0, 1, tensors, Precision.FLOAT64);
    assertThat(kernel.describe()).startsWith("closed form");
    double[] k = kernel.matrix(xs, xs).toDoubleArray();

    int samples = 200_000;
    double[] w = Features.sample(dist, samples, d, new SplittableRandom(2024));
    double[] s = new double[n * samples];
    for (int j = 0; j < samples; j++) {
      for (int i = 0; i < n; i++) {
        double z = w[j * d] * x[i * d] + w[j * d + 1] * x[i * d + 1] + w[j * d + 2] * x[i * d + 2];
        s[i * samples + j] = sigma.value(z);
      }
    }
    for (int i = 0; i < n; i++) {
      for (int l = 0; l < n; l++) {
        double sum = 0;
        double sumSq = 0;
        for (int j = 0; j < samples; j++) {
          double p = s[i * samples + j] * s[l * samples + j];
          sum += p;
          sumSq += p * p;
        }
        double mean = sum / samples;
        double se = Math.sqrt(Math.max(0, sumSq / samples - mean * mean) / samples);
        assertThat(k[i * n + l]).as("k(x%d, x%d)", i, l).isCloseTo(mean, org.assertj.core.data.Offset.offset(4 * se + 1e-12));
      }
    }
    // a cross matrix gives the same entries as the square one
    Tensor first = tensors.of(Precision.FLOAT64, java.util.Arrays.copyOf(x, 2 * d), 2, d);
    double[] cross = kernel.matrix(first, xs).toDoubleArray();
    assertThat(Fixtures.maxRelativeDifference(cross, java.util.Arrays.copyOf(k, 2 * n))).isLessThan(1e-14);
  }

  /** Without a closed form, k is the blocked average over kernel_samples features from the seed, and says so. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void monteCarloKernelIsLabelledAndExact(String backend) {
    VariationalProblem problem = Fixtures.problem(DATA, Activation.TANH, "sphere", 1.2, ALPHA);
    DiscreteFlow flow = Fixtures.REGISTRY.discretization("kernel").discretize(problem, Map.of("kernel_samples", 5000),
        new FlowContext(Fixtures.REGISTRY.backend(backend), Precision.FLOAT64, 8));
    assertThat(flow.toString()).contains("Monte Carlo estimate of k with 5000 samples");
    // c = e₀: predictions are the first column of K
    double[] unit = new double[DATA.n()];
    unit[0] = 1;
    Fixtures.set(flow, "c", unit, backend);
    double[] k0 = flow.predict(DATA);
    int d = 4;
    double[] w = Features.sample(new FeatureDistribution("sphere", 1.2), 5000, d, new SplittableRandom(Features.featureSeed(8)));
    double[] x = DATA.inputsWithBias();
    double[] expected = new double[DATA.n()];
    for (int j = 0; j < 5000; j++) {
      double z0 = 0;
      for (int q = 0; q < d; q++) {
        z0 += w[j * d + q] * x[q];
      }
      for (int i = 0; i < DATA.n(); i++) {
        double z = 0;
        for (int q = 0; q < d; q++) {
          z += w[j * d + q] * x[i * d + q];
        }
        expected[i] += Math.tanh(z) * Math.tanh(z0) / 5000;
      }
    }
    assertThat(Fixtures.maxRelativeDifference(k0, expected)).isLessThan(1e-12);

    Options closed = Fixtures.REGISTRY.discretization("kernel").options().node("discretization", Map.of());
    DiscreteFlow relu = Fixtures.REGISTRY.discretization("kernel").discretize(
        Fixtures.problem(DATA, Activation.RELU, "sphere", 1.2, ALPHA), closed,
        new FlowContext(Fixtures.REGISTRY.backend(backend), Precision.FLOAT64, 8));
    assertThat(relu.toString()).contains("closed form");
    assertThat(closed.asMap()).doesNotContainKey("kernel_samples");
  }

  /**
   * The velocity is the L²(π) gradient in the span: ∇_c E (central differences) = K·(A c − b) = −K v, and
   * v = −(A c − b) from both apply and the dense operator: the kit's checks in the metric K.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("backendsAndActivations")
  void velocityIsTheL2GradientInTheSpan(String backend, Activation sigma) {
    DiscretizationKit kit = DiscretizationKit.of(Fixtures.REGISTRY.discretization("kernel"),
        Fixtures.problem(DATA, sigma, "gaussian", 1.1, ALPHA), Map.of("kernel_samples", 400)).seed(3)
        .metric(Fixtures.kernelMetric(DATA.n(), ALPHA));
    kit.velocityIsTheMetricGradient(Fixtures.REGISTRY.backend(backend));
    kit.linearStructureGivesTheVelocity(Fixtures.REGISTRY.backend(backend));
  }

  /** E = (1/2n)|Kc − y|² + (α/2)cᵀKc, predictions on the training inputs are Kc, and A c = b is stationary. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void energyPartsAndStationaryPoint(String backend) {
    VariationalProblem problem = Fixtures.problem(DATA, Activation.RELU, "gaussian", 1.0, ALPHA);
    DiscreteFlow flow = Fixtures.flow("kernel", problem, backend, 3, Map.of());
    int n = DATA.n();
    double[] c = Fixtures.gaussian(n, 5);
    Fixtures.set(flow, "c", c, backend);
    double[] f = flow.predict(DATA);
    double risk = 0;
    double quad = 0;
    for (int i = 0; i < n; i++) {
      risk += (f[i] - DATA.y()[i]) * (f[i] - DATA.y()[i]) / (2 * n);
      quad += 0.5 * ALPHA * c[i] * f[i];
    }
    Evaluation e = flow.evaluate(false);
    assertThat(e.risk()).isCloseTo(risk, org.assertj.core.data.Offset.offset(1e-12 * risk));
    assertThat(e.parts().get(Tikhonov.KIND)).isCloseTo(quad, org.assertj.core.data.Offset.offset(1e-12 * Math.abs(quad)));
    assertThat(flow.risk(DATA)).isCloseTo(risk, org.assertj.core.data.Offset.offset(1e-12 * risk));

    LinearFlow linear = flow.linear().orElseThrow();
    double[] star = linear.operator().choleskySolve(linear.rhs()).toDoubleArray();
    Fixtures.set(flow, "c", star, backend);
    double[] v = flow.evaluate(true).velocity().get("c").toDoubleArray();
    double vmax = 0;
    for (double vi : v) {
      vmax = Math.max(vmax, Math.abs(vi));
    }
    assertThat(vmax).isLessThan(1e-12);
  }
}
