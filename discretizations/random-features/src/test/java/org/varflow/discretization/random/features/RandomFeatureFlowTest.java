package org.varflow.discretization.random.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.varflow.discretization.random.features.Fixtures.REGISTRY;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.varflow.api.Options;
import org.varflow.api.SpecException;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.io.Npy;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.FeatureDistribution;
import org.varflow.api.problem.Loss;
import org.varflow.api.problem.RandomFeatureModel;
import org.varflow.api.problem.Tikhonov;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.problem.WeightDecay;
import org.varflow.api.solve.StepRecord;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Precision;
import org.varflow.kit.DiscretizationKit;
import org.varflow.kit.Metric;

/** The Monte Carlo random feature flow: gradient, linear structure, state, init and errors, on every backend. */
class RandomFeatureFlowTest {
  private static final double ALPHA = 0.05;
  private static final Dataset DATA = Fixtures.data(40, 3, 42);

  static Stream<Arguments> backendsActivationsAndDistributions() {
    return Fixtures.backends().flatMap(b -> Stream.of(Activation.values())
        .flatMap(act -> FeatureDistribution.KINDS.stream().map(pi -> Arguments.of(b, act, pi))));
  }

  static Stream<String> backends() {
    return Fixtures.backends();
  }

  private static DiscreteFlow gaussianInit(String backend, Activation sigma, String pi, int m, long seed) {
    Map<String, Object> init = new LinkedHashMap<>(Map.of("kind", "gaussian", "a_scale", 1.5));
    return Fixtures.flow(RandomFeatureDiscretization.ID, Fixtures.problem(DATA, sigma, pi, 1.3, ALPHA), backend, seed,
        Map.of("width", m, "init", init));
  }

  @Test
  void bothProvidersAreRegisteredAndTheBackendsAreThere() {
    assertThat(Fixtures.backends()).contains("jvm", "nd4j-cpu");
    assertThat(REGISTRY.discretization("random-features")).isInstanceOf(RandomFeatureDiscretization.class);
    assertThat(REGISTRY.discretization("kernel")).isInstanceOf(KernelDiscretization.class);
  }

  /** v_a = −m ∂E/∂a, ∂E/∂a by central differences: the kit's gradient check in the metric I/m; W is frozen. */
  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("backendsActivationsAndDistributions")
  void velocityIsMinusMTimesTheGradient(String backend, Activation sigma, String pi) {
    int m = 9;
    kit(sigma, pi, m).seed(11).metric(Metric.scaled(1.0 / m)).velocityIsTheMetricGradient(REGISTRY.backend(backend));
    assertThat(gaussianInit(backend, sigma, pi, m, 11).evaluate(true).velocity().keySet()).containsExactly("a");
  }

  /** v = −(A a − b), with A a both from apply and from the dense operator: the kit's linear check. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void velocityIsTheNegativeAffineResidual(String backend) {
    kit(Activation.TANH, "gaussian", 12).seed(5).linearStructureGivesTheVelocity(REGISTRY.backend(backend));
  }

  private static DiscretizationKit kit(Activation sigma, String pi, int m) {
    return DiscretizationKit.of(new RandomFeatureDiscretization(), Fixtures.problem(DATA, sigma, pi, 1.3, ALPHA),
        Map.of("width", m, "init", Map.of("kind", "gaussian", "a_scale", 1.5)));
  }

  /** E = R + (α/2m)|a|², R on the training data, and f = (1/m) Σ a_j σ(w_j·(x, 1)) written out by hand. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void energyPartsAndPredictions(String backend) {
    int m = 6;
    DiscreteFlow flow = gaussianInit(backend, Activation.SIGMOID, "sphere", m, 3);
    Evaluation e = flow.evaluate(false);
    double[] a = flow.state().get("a").toDoubleArray();
    double[] w = flow.state().get("W").toDoubleArray();
    double tikhonov = 0;
    for (double aj : a) {
      tikhonov += ALPHA / (2 * m) * aj * aj;
    }
    assertThat(e.parts()).containsOnlyKeys(Evaluation.RISK, Tikhonov.KIND);
    assertThat(e.parts().get(Tikhonov.KIND)).isCloseTo(tikhonov, org.assertj.core.data.Offset.offset(1e-14));
    assertThat(e.risk()).isCloseTo(flow.risk(DATA), org.assertj.core.data.Offset.offset(1e-14));
    assertThat(e.energy()).isCloseTo(e.risk() + tikhonov, org.assertj.core.data.Offset.offset(1e-14));

    double[] x = DATA.inputsWithBias();
    int d = DATA.d() + 1;
    double[] expected = new double[DATA.n()];
    for (int i = 0; i < DATA.n(); i++) {
      for (int j = 0; j < m; j++) {
        double z = 0;
        for (int k = 0; k < d; k++) {
          z += w[j * d + k] * x[i * d + k];
        }
        expected[i] += a[j] * Activation.SIGMOID.value(z) / m;
      }
    }
    assertThat(Fixtures.maxRelativeDifference(flow.predict(DATA), expected)).isLessThan(1e-13);
  }

  /** The features come from the seed alone: the same numbers on every backend, with the right law. */
  @Test
  void sameSeedGivesTheSameFeaturesOnEveryBackend() {
    double[] reference = null;
    for (String backend : Fixtures.backends().toList()) {
      DiscreteFlow flow = Fixtures.flow("random-features", Fixtures.problem(DATA, Activation.RELU, "sphere", 2.5, 0), backend,
          77, Fixtures.width(50));
      double[] w = flow.state().get("W").toDoubleArray();
      assertThat(flow.state().get("a").toDoubleArray()).containsOnly(0.0);
      if (reference == null) {
        reference = w;
      } else {
        assertThat(w).containsExactly(reference);
      }
    }
    for (int j = 0; j < 50; j++) {
      double norm = 0;
      for (int k = 0; k < 4; k++) {
        norm += reference[j * 4 + k] * reference[j * 4 + k];
      }
      assertThat(Math.sqrt(norm)).isCloseTo(2.5, org.assertj.core.data.Offset.offset(1e-12));
    }
    // gaussian: E|w|² = s² (entries N(0, s²/d)); 4000 features give |mean − s²| ≲ 3 s² √(2/(d·4000))
    double[] g = Features.sample(new FeatureDistribution("gaussian", 2.0), 4000, 4, new SplittableRandom(1));
    double mean = 0;
    for (double gi : g) {
      mean += gi * gi / 4000;
    }
    assertThat(mean).isCloseTo(4.0, org.assertj.core.data.Offset.offset(3 * 4.0 * Math.sqrt(2.0 / 16000)));
  }

  /** One explicit Euler step moves a by h·v_a and leaves the frozen features alone. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void eulerStepMovesOnlyTheOuterFunction(String backend) {
    DiscreteFlow flow = gaussianInit(backend, Activation.RELU, "gaussian", 8, 9);
    double[] a = flow.state().get("a").toDoubleArray();
    double[] w = flow.state().get("W").toDoubleArray();
    double[] v = flow.evaluate(true).velocity().get("a").toDoubleArray();
    REGISTRY.solver("explicit-euler").solve(flow, Map.of("step", 0.1, "steps", 1), (StepRecord r) -> true);
    double[] expected = new double[a.length];
    for (int j = 0; j < a.length; j++) {
      expected[j] = a[j] + 0.1 * v[j];
    }
    assertThat(Fixtures.maxRelativeDifference(flow.state().get("a").toDoubleArray(), expected)).isLessThan(1e-14);
    assertThat(flow.state().get("W").toDoubleArray()).containsExactly(w);
  }

  @Test
  void initFromNpyTakesTheFrozenFeaturesFromWnpy(@TempDir Path dir) throws IOException {
    double[] a = {1, -2, 3};
    double[] w = Fixtures.gaussian(12, 4);
    Npy.write(dir.resolve("a.npy"), a, new int[] {3}, Precision.FLOAT64);
    Npy.write(dir.resolve("W.npy"), w, new int[] {3, 4}, Precision.FLOAT64);
    Map<String, Object> init = new LinkedHashMap<>(Map.of("npy", dir.toString()));
    VariationalProblem problem = Fixtures.problem(DATA, Activation.TANH, "gaussian", 1, 0.1);
    DiscreteFlow flow = Fixtures.flow("random-features", problem, "jvm", 1, Map.of("init", init));
    assertThat(flow.state().get("a").toDoubleArray()).containsExactly(a);
    assertThat(flow.state().get("W").toDoubleArray()).containsExactly(w);

    Files.delete(dir.resolve("W.npy"));
    Npy.write(dir.resolve("W.npy"), w, new int[] {4, 3}, Precision.FLOAT64);
    assertThatThrownBy(() -> Fixtures.flow("random-features", problem, "jvm", 1, Map.of("init", new LinkedHashMap<>(init))))
        .isInstanceOf(SpecException.class).hasMessageContaining("W.npy").hasMessageContaining("(3, 4)");
  }

  @Test
  void badOptionsAndProblemsAreSpecErrors() {
    VariationalProblem decay = new VariationalProblem(DATA, null,
        new RandomFeatureModel(Activation.RELU, true, new FeatureDistribution("gaussian", 1)), Loss.SQUARED,
        List.of(new Tikhonov(0.1), new WeightDecay(0.1)));
    for (String id : List.of("random-features", "kernel")) {
      assertThatThrownBy(() -> Fixtures.flow(id, decay, "jvm", 1, Map.of()))
          .isInstanceOf(SpecException.class)
          .satisfies(ex -> assertThat(((SpecException) ex).key()).startsWith("regularizers"));
    }
    VariationalProblem ok = Fixtures.problem(DATA, Activation.RELU, "gaussian", 1, 0.1);
    assertThatThrownBy(() -> Fixtures.flow("random-features", ok, "jvm", 1, Map.of("width", 0)))
        .isInstanceOf(SpecException.class).hasMessageStartingWith("discretization.width");
    Map<String, Object> init = new LinkedHashMap<>(Map.of("kind", "uniform"));
    assertThatThrownBy(() -> Fixtures.flow("random-features", ok, "jvm", 1, Map.of("init", init)))
        .isInstanceOf(SpecException.class).hasMessageStartingWith("discretization.init.kind");
    Options defaults = REGISTRY.discretization("random-features").options().node("discretization", Map.of());
    REGISTRY.discretization("random-features").discretize(ok, defaults,
        new org.varflow.api.flow.FlowContext(REGISTRY.backend("jvm"), Precision.FLOAT64, 1));
    assertThat(defaults.asMap()).containsEntry("width", 256L);
  }
}
