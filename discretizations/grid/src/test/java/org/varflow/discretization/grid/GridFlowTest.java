package org.varflow.discretization.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.varflow.api.Options;
import org.varflow.api.SpecException;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.flow.FlowContext;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.DensityModel;
import org.varflow.api.problem.DensityWeight;
import org.varflow.api.problem.Loss;
import org.varflow.api.problem.Sobolev;
import org.varflow.api.problem.Tikhonov;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.discretization.testkit.DensityFixtures;
import org.varflow.kit.DiscretizationKit;

/** The grid flow: linear structure, gradient, energy, predictions, parameters and errors, on every backend. */
class GridFlowTest {
  private static final DensityWeight GAUSSIAN = new DensityWeight("gaussian", 1.5);
  private static final DensityWeight UNIFORM = new DensityWeight("uniform", 1);

  /** (backend, k): k = 2 (d = 1, 7 points per axis) and k = 3 (d = 2, 5 points per axis). */
  static Stream<Arguments> backendsAndDimensions() {
    return Fixtures.backends().flatMap(b -> Stream.of(Arguments.of(b, 2), Arguments.of(b, 3)));
  }

  static Stream<String> backends() {
    return Fixtures.backends();
  }

  private static DiscreteFlow randomFlow(String backend, int k, long seed) {
    return Fixtures.gaussianFlow(Fixtures.twoSobolevProblem(k), backend, seed, k == 2 ? 7 : 5, 1.0);
  }

  @Test
  void isRegisteredAndBothBackendsAreThere() {
    assertThat(Fixtures.backends()).contains("jvm", "nd4j-cpu");
    assertThat(Fixtures.REGISTRY.discretization("grid")).isInstanceOf(GridDiscretization.class);
  }

  /** v = −(A v − b), matrix-free and dense, and A symmetric: the kit's linear check. */
  @ParameterizedTest(name = "{0} k={1}")
  @MethodSource("backendsAndDimensions")
  void velocityIsTheNegativeAffineResidual(String backend, int k) {
    kit(k).linearStructureGivesTheVelocity(Fixtures.REGISTRY.backend(backend));
  }

  /** The kit's checks on the two-Sobolev problem: {@code points} (k == 2 ? 7 : 5), a random start from the seed. */
  private static DiscretizationKit kit(int k) {
    return DiscretizationKit.of(new GridDiscretization(), Fixtures.twoSobolevProblem(k),
        Map.of("points", k == 2 ? 7 : 5, "init", Map.of("kind", "gaussian"))).seed(5);
  }


  /**
   * The L² flow in v = M^{1/2}u: v = −M^{−1/2} ∇_u J, with ∂J/∂u_q from central differences in u
   * (u_q ± ε is v_q ± ε√μ_q, μ the test's own trapezoid weights). J is quadratic: exact up to rounding.
   */
  @ParameterizedTest(name = "{0} k={1}")
  @MethodSource("backendsAndDimensions")
  void velocityIsTheL2GradientInOrthonormalCoordinates(String backend, int k) {
    int points = k == 2 ? 7 : 5;
    DiscreteFlow flow = randomFlow(backend, k, 11);
    double[] mu = Fixtures.weights(k, points);
    double[] velocity = flow.evaluate(true).velocity().get("v").toDoubleArray();
    Tensor v = flow.state().get("v");
    double eps = 1e-4;
    double errSq = 0;
    double normSq = 0;
    for (int q = 0; q < mu.length; q++) {
      double[] step = new double[mu.length];
      step[q] = eps * Math.sqrt(mu[q]);
      Tensor e = v.factory().of(Precision.FLOAT64, step, mu.length);
      v.axpyi(1, e);
      double plus = flow.evaluate(false).energy();
      v.axpyi(-2, e);
      double minus = flow.evaluate(false).energy();
      v.axpyi(1, e);
      double expected = -(plus - minus) / (2 * eps) / Math.sqrt(mu[q]); // −μ_q^{−1/2} ∂J/∂u_q
      errSq += (velocity[q] - expected) * (velocity[q] - expected);
      normSq += expected * expected;
    }
    assertThat(Math.sqrt(errSq / normSq)).isLessThan(1e-6);
  }

  /**
   * With u(θ) = a·θ + c and ω = 1: f(x_i) = Σ_q μ_q u_q σ(w_q x_i + b_q) by hand, the finite-difference
   * ∫|∇u|² is exact (|a|² vol Ω) and ∫u² is the trapezoid sum; sobolev = Σ_j (α_j/2)(g_j ∫|∇u|² + l_j ∫u²).
   * The parameters are u in C order, and with a gaussian ω the mass part is Σ μ_q ω(θ_q) u_q².
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void energyPredictionsAndParametersFollowTheQuadrature(String backend) {
    int points = 6;
    int k = 2;
    Dataset data = Fixtures.data(12, 1, 8);
    double[] mu = Fixtures.weights(k, points);
    double[] a = {0.7, -1.1};
    double c = 0.4;
    double[] u = new double[mu.length];
    double[] v = new double[mu.length];
    for (int q = 0; q < mu.length; q++) {
      double[] theta = Fixtures.node(q, k, points);
      u[q] = a[0] * theta[0] + a[1] * theta[1] + c;
      v[q] = Math.sqrt(mu[q]) * u[q];
    }
    double volume = Math.pow(2 * Fixtures.R, k);
    double massSum = 0;
    double gaussianMassSum = 0;
    for (int q = 0; q < mu.length; q++) {
      massSum += mu[q] * u[q] * u[q];
      gaussianMassSum += mu[q] * GAUSSIAN.value(Fixtures.node(q, k, points)) * u[q] * u[q];
    }
    double[] expectedF = new double[data.n()];
    double risk = 0;
    for (int i = 0; i < data.n(); i++) {
      for (int q = 0; q < mu.length; q++) {
        double[] theta = Fixtures.node(q, k, points);
        expectedF[i] += mu[q] * u[q] * Math.tanh(theta[0] * data.x()[i] + theta[1]);
      }
      risk += (expectedF[i] - data.y()[i]) * (expectedF[i] - data.y()[i]) / (2 * data.n());
    }

    VariationalProblem uniform = Fixtures.problem(data, Activation.TANH, UNIFORM, new Sobolev(0.3, 1, 0), new Sobolev(0.2, 0, 1));
    DiscreteFlow flow = Fixtures.flow(uniform, backend, 1, points, Map.of());
    Fixtures.set(flow, v);
    assertThat(Fixtures.maxRelativeDifference(DensityFixtures.nodeValues(flow), u)).isLessThan(1e-14);
    assertThat(flow.parameters().keySet()).containsExactly("u");
    assertThat(Fixtures.maxRelativeDifference(flow.predict(data), expectedF)).isLessThan(1e-13);
    Evaluation e = flow.evaluate(false);
    assertThat(e.parts()).containsOnlyKeys(Evaluation.RISK, Sobolev.KIND);
    assertThat(e.risk()).isCloseTo(risk, offset(1e-13));
    double sobolev = 0.15 * (a[0] * a[0] + a[1] * a[1]) * volume + 0.1 * massSum;
    assertThat(e.parts().get(Sobolev.KIND)).isCloseTo(sobolev, offset(1e-12 * sobolev));
    assertThat(e.energy()).isCloseTo(risk + sobolev, offset(1e-12));

    DiscreteFlow weighted = Fixtures.flow(Fixtures.problem(data, Activation.TANH, GAUSSIAN, new Sobolev(0.2, 0, 1)),
        backend, 1, points, Map.of());
    Fixtures.set(weighted, v);
    assertThat(weighted.evaluate(false).parts().get(Sobolev.KIND)).isCloseTo(0.1 * gaussianMassSum,
        offset(1e-12 * gaussianMassSum));
  }

  /** zeros by default; gaussian draws v ~ N(0, scale²) from the seed, the same numbers on every backend. */
  @Test
  void initialStatesComeFromTheSeed() {
    VariationalProblem problem = Fixtures.problem(Fixtures.data(10, 1, 1), Activation.TANH, UNIFORM, new Sobolev(0.1, 1, 1));
    double[] reference = null;
    for (String backend : Fixtures.backends().toList()) {
      assertThat(Fixtures.flow(problem, backend, 3, 9, Map.of()).state().get("v").toDoubleArray()).containsOnly(0.0);
      double[] v = Fixtures.gaussianFlow(problem, backend, 3, 33, 2.0).state().get("v").toDoubleArray();
      if (reference == null) {
        reference = v;
      } else {
        assertThat(v).containsExactly(reference);
      }
    }
    double var = 0;
    for (double x : reference) {
      var += x * x / reference.length;
    }
    // 1089 draws: |var − 4| ≲ 3·4·√(2/1089)
    assertThat(var).isCloseTo(4.0, offset(12 * Math.sqrt(2.0 / reference.length)));
    assertThat(Fixtures.gaussianFlow(problem, "jvm", 4, 33, 2.0).state().get("v").toDoubleArray())
        .isNotEqualTo(reference);
  }

  @Test
  void badProblemsAndOptionsAreSpecErrorsNamingTheKey() {
    DensityWeight w = UNIFORM;
    Dataset d3 = Fixtures.data(10, 3, 2);
    VariationalProblem fourDimensional = new VariationalProblem(d3, null,
        new DensityModel(Activation.TANH, Fixtures.box(4), w), Loss.SQUARED, List.of(new Sobolev(0.1, 1, 1)));
    assertThatThrownBy(() -> Fixtures.flow(fourDimensional, "jvm", 1, 5, Map.of()))
        .isInstanceOf(SpecException.class).hasMessageStartingWith("model.domain").hasMessageContaining("at most 3")
        .satisfies(ex -> assertThat(((SpecException) ex).key()).isEqualTo("model.domain"));

    Dataset d1 = Fixtures.data(10, 1, 2);
    VariationalProblem mismatch = new VariationalProblem(d1, null,
        new DensityModel(Activation.TANH, Fixtures.box(3), w), Loss.SQUARED, List.of());
    assertThatThrownBy(() -> Fixtures.flow(mismatch, "jvm", 1, 5, Map.of()))
        .isInstanceOf(SpecException.class).satisfies(ex -> assertThat(((SpecException) ex).key()).isEqualTo("model.domain"));

    VariationalProblem tikhonov = Fixtures.problem(d1, Activation.TANH, w, new Sobolev(0.1, 1, 1), new Tikhonov(0.1));
    assertThatThrownBy(() -> Fixtures.flow(tikhonov, "jvm", 1, 5, Map.of()))
        .isInstanceOf(SpecException.class).hasMessageContaining("tikhonov")
        .satisfies(ex -> assertThat(((SpecException) ex).key()).isEqualTo("regularizers[1].kind"));

    VariationalProblem ok = Fixtures.problem(d1, Activation.TANH, w, new Sobolev(0.1, 1, 1));
    for (Object bad : List.of(1, 0, -3, "many", 2.5, 100000)) {
      assertThatThrownBy(() -> Fixtures.flow(ok, "jvm", 1, 2, Map.of("points", bad)))
          .isInstanceOf(SpecException.class).hasMessageStartingWith("discretization.points");
    }
    Map<String, Object> init = new LinkedHashMap<>(Map.of("kind", "uniform"));
    assertThatThrownBy(() -> Fixtures.flow(ok, "jvm", 1, 5, Map.of("init", init)))
        .isInstanceOf(SpecException.class).hasMessageStartingWith("discretization.init.kind");

    // defaults are written back: 33 points for k = 2, 17 for k = 3, zeros
    for (int d = 1; d <= 2; d++) {
      Options defaults = Fixtures.REGISTRY.discretization("grid").options().node("discretization", Map.of());
      DiscreteFlow flow = Fixtures.REGISTRY.discretization("grid").discretize(
          Fixtures.problem(Fixtures.data(5, d, 1), Activation.TANH, w, new Sobolev(0.1, 1, 1)), defaults,
          new FlowContext(Fixtures.REGISTRY.backend("jvm"), Precision.FLOAT64, 1));
      int n = d == 1 ? 33 : 17;
      assertThat(defaults.asMap()).containsEntry("points", (long) n);
      assertThat(flow.state().get("v").rows()).isEqualTo((int) Math.pow(n, d + 1));
    }
  }

  /**
   * The norms of u in the history: for the interpolant of u(w, b) = w + 2b on [−R, R]² (ω = 1), ∫|∇u|² = 5(2R)²
   * exactly (P1 is exact on linear functions) and ∫u² is the trapezoid sum Σ_q μ_q u_q², computed here by hand.
   */
  @ParameterizedTest
  @MethodSource("backends")
  void diagnosticsAreTheL2AndH1NormsOfU(String backend) {
    int points = 9;
    double[] mu = Fixtures.weights(2, points);
    double[] v = new double[mu.length];
    double l2 = 0;
    for (int q = 0; q < mu.length; q++) {
      double[] theta = Fixtures.node(q, 2, points);
      double u = theta[0] + 2 * theta[1];
      v[q] = Math.sqrt(mu[q]) * u;
      l2 += mu[q] * u * u;
    }
    double gradient = 5 * (2 * Fixtures.R) * (2 * Fixtures.R);
    DiscreteFlow flow = Fixtures.flow(Fixtures.problem(Fixtures.data(10, 1, 1), Activation.TANH, UNIFORM,
        new Sobolev(0.1, 1, 1)), backend, 1, points, Map.of());
    Fixtures.set(flow, v);
    Map<String, Double> norms = flow.diagnostics();
    assertThat(norms.keySet()).containsExactly("u_l2", "u_h1");
    assertThat(norms.get("u_l2")).isCloseTo(Math.sqrt(l2), offset(1e-12 * Math.sqrt(l2)));
    assertThat(norms.get("u_h1")).isCloseTo(Math.sqrt(l2 + gradient), offset(1e-12 * Math.sqrt(l2 + gradient)));
    flow.close();
  }
}
