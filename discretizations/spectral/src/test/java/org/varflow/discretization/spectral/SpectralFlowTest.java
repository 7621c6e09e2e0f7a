package org.varflow.discretization.spectral;

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
import org.varflow.api.problem.ParameterDomain;
import org.varflow.api.problem.Sobolev;
import org.varflow.api.problem.Tikhonov;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Precision;
import org.varflow.discretization.testkit.DensityFixtures;
import org.varflow.kit.DiscretizationKit;

/** Quadrature, basis, linear structure, gradient, energy and errors of the spectral flow, on every backend. */
class SpectralFlowTest {
  private static final DensityWeight UNIFORM = new DensityWeight("uniform", 1);

  /** (backend, k): k = 2 (d = 1, degree 5) and k = 3 (d = 2, degree 3). */
  static Stream<Arguments> backendsAndDimensions() {
    return Fixtures.backends().flatMap(b -> Stream.of(Arguments.of(b, 2), Arguments.of(b, 3)));
  }

  static Stream<String> backends() {
    return Fixtures.backends();
  }

  private static DiscreteFlow randomFlow(String backend, int k, long seed) {
    return Fixtures.gaussianFlow(Fixtures.twoSobolevProblem(k), backend, seed, k == 2 ? 5 : 3, 1.0);
  }

  @Test
  void isRegisteredAndBothBackendsAreThere() {
    assertThat(Fixtures.backends()).contains("jvm", "nd4j-cpu");
    assertThat(Fixtures.REGISTRY.discretization("spectral")).isInstanceOf(SpectralDiscretization.class);
  }

  /** The Q-point Gauss–Legendre rule integrates t^m exactly for m ≤ 2Q − 1: ∫_{−1}^{1} t^m = 2/(m+1) (m even), 0. */
  @Test
  void gaussLegendreIsExactToDegreeTwoQMinusOne() {
    for (int q = 1; q <= 40; q++) {
      double[][] rule = Legendre.gauss(q);
      for (int i = 1; i < q; i++) {
        assertThat(rule[0][i]).isGreaterThan(rule[0][i - 1]);
      }
      for (int m = 0; m <= 2 * q - 1; m++) {
        double sum = 0;
        for (int j = 0; j < q; j++) {
          sum += rule[1][j] * Math.pow(rule[0][j], m);
        }
        double exact = m % 2 == 0 ? 2.0 / (m + 1) : 0;
        assertThat(sum).as("Q = %d, m = %d", q, m).isCloseTo(exact, offset(1e-13));
      }
    }
  }

  /**
   * ∫_Ω P_α P_β = δ_αβ by the tensor Gauss rule with the fewest allowed points Q = P + 1 (exact for degree 2P),
   * on a non-square box; w_q is recovered from column α = 0 (P_0 = vol(Ω)^{−1/2}).
   */
  @Test
  void theBasisIsOrthonormal() {
    for (int k = 1; k <= 3; k++) {
      double[] lo = {-1.0, 0.0, 2.0};
      double[] hi = {3.0, 0.5, 2.7};
      ParameterDomain box = ParameterDomain.box(java.util.Arrays.copyOf(lo, k), java.util.Arrays.copyOf(hi, k));
      int degree = k == 3 ? 4 : 7;
      Basis basis = new Basis(box, UNIFORM, degree, degree + 1);
      double volume = 1;
      for (int i = 0; i < k; i++) {
        volume *= hi[i] - lo[i];
      }
      double p0 = 1 / Math.sqrt(volume);
      int size = basis.size;
      double err = 0;
      for (int a = 0; a < size; a++) {
        for (int b = 0; b < size; b++) {
          double gram = 0;
          for (int q = 0; q < basis.nodeCount; q++) {
            double w = basis.weightedValues[q * size] / p0;
            gram += basis.weightedValues[q * size + a] * basis.weightedValues[q * size + b] / w;
          }
          err = Math.max(err, Math.abs(gram - (a == b ? 1 : 0)));
        }
      }
      assertThat(err).as("k = %d", k).isLessThan(1e-12);
      // l-part for uniform ω is l·I exactly
      double[] s = basis.sobolev(0, 2.5);
      double dev = 0;
      for (int a = 0; a < size; a++) {
        for (int b = 0; b < size; b++) {
          dev = Math.max(dev, Math.abs(s[a * size + b] - (a == b ? 2.5 : 0)));
        }
      }
      assertThat(dev).isLessThan(1e-12);
    }
  }

  /**
   * ∫_{[−2,2]²} |∇u|² for u = P_α with α = (1, 0): p_1' = √(3/L)·2/L on the first axis, so
   * the gradient form is 12/L² = 0.75 and the sobolev energy of c = e_α is (α/2)(g·0.75 + l).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void sobolevEnergyOfABasisFunction(String backend) {
    int degree = 4;
    VariationalProblem problem = Fixtures.problem(Fixtures.data(12, 1, 8), Activation.TANH, UNIFORM,
        new Sobolev(0.3, 1.2, 0.7));
    DiscreteFlow flow = Fixtures.flow(problem, backend, 1, degree, Map.of());
    double[] c = new double[(degree + 1) * (degree + 1)];
    c[degree + 1] = 1; // α = (1, 0), last axis fastest
    Fixtures.set(flow, c);
    Evaluation e = flow.evaluate(false);
    assertThat(e.parts()).containsOnlyKeys(Evaluation.RISK, Sobolev.KIND);
    assertThat(e.parts().get(Sobolev.KIND)).isCloseTo(0.15 * (1.2 * 0.75 + 0.7), offset(1e-13));
    assertThat(DensityFixtures.nodeValues(flow)).containsExactly(c);
    assertThat(flow.parameters().keySet()).containsExactly("u");
  }

  /**
   * With the Gaussian weight ω(θ) = exp(−|θ|²/(2s²)), s = 1.5, on [−2, 2]², the Sobolev energy of
   * u = Σ_α c_α P_α (degree 3, fixed coefficients) is (α/2) ∫ (g|∇u|² + l u²) ω dθ: u and ∇u written out by
   * hand with the Legendre polynomials (p_n(t) = √((2n+1)/L) P_n(s), s = 2(t − lo)/L − 1), the integral by the
   * composite Simpson rule on a 2000 × 2000 grid (error ≈ 1e-13), independently of the plugin's Gauss
   * quadrature and its assembly of the mass and stiffness matrices.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void sobolevEnergyWithAGaussianWeightIsTheIntegral(String backend) {
    int degree = 3;
    double alpha = 0.3;
    double g = 1.2;
    double l = 0.7;
    DensityWeight gaussian = new DensityWeight("gaussian", 1.5);
    VariationalProblem problem = Fixtures.problem(Fixtures.data(12, 1, 8), Activation.TANH, gaussian,
        new Sobolev(alpha, g, l));
    DiscreteFlow flow = Fixtures.flow(problem, backend, 1, degree, Map.of());
    int n = degree + 1;
    double[] c = new double[n * n];
    for (int i = 0; i < c.length; i++) {
      c[i] = Math.sin(1.7 * i + 0.3); // c_(a, b) at a·(P + 1) + b, the b axis fastest
    }
    Fixtures.set(flow, c);

    int intervals = 2000;
    double lo = -Fixtures.R;
    double length = 2 * Fixtures.R;
    double[][] p = new double[n][intervals + 1];
    double[][] dp = new double[n][intervals + 1];
    double[] simpson = new double[intervals + 1];
    for (int i = 0; i <= intervals; i++) {
      double t = lo + length * i / intervals;
      double s = 2 * (t - lo) / length - 1;
      double[] legendre = {1, s, (3 * s * s - 1) / 2, (5 * s * s * s - 3 * s) / 2};
      double[] derivative = {0, 1, 3 * s, (15 * s * s - 3) / 2};
      for (int a = 0; a < n; a++) {
        p[a][i] = Math.sqrt((2 * a + 1) / length) * legendre[a];
        dp[a][i] = Math.sqrt((2 * a + 1) / length) * derivative[a] * 2 / length;
      }
      simpson[i] = length / intervals / 3 * (i == 0 || i == intervals ? 1 : i % 2 == 1 ? 4 : 2);
    }
    double integral = 0;
    for (int i = 0; i <= intervals; i++) {
      for (int j = 0; j <= intervals; j++) {
        double u = 0;
        double uw = 0;
        double ub = 0;
        for (int a = 0; a < n; a++) {
          for (int b = 0; b < n; b++) {
            double ca = c[a * n + b];
            u += ca * p[a][i] * p[b][j];
            uw += ca * dp[a][i] * p[b][j];
            ub += ca * p[a][i] * dp[b][j];
          }
        }
        double w = lo + length * i / intervals;
        double b = lo + length * j / intervals;
        double omega = Math.exp(-(w * w + b * b) / (2 * 1.5 * 1.5));
        integral += simpson[i] * simpson[j] * (g * (uw * uw + ub * ub) + l * u * u) * omega;
      }
    }
    double expected = alpha / 2 * integral;
    assertThat(flow.evaluate(false).parts().get(Sobolev.KIND)).isCloseTo(expected, offset(1e-11 * expected));
  }

  /**
   * f(x_i) = ∫ u σ(w x_i + b) for u = P_α, α = (1, 2), written out by hand (p_1 ∝ s, p_2 ∝ (3t² − 1)/2), against
   * a 60-point tensor Gauss integral; the flow uses Q = 40 (at the default Q = 14 the quadrature error is ~3e-8).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void predictionsAreTheIntegralOfTheDensity(String backend) {
    Dataset data = Fixtures.data(9, 1, 8);
    VariationalProblem problem = Fixtures.problem(data, Activation.TANH, UNIFORM, new Sobolev(0.1, 1, 1));
    int degree = 3;
    DiscreteFlow flow = Fixtures.flow(problem, backend, 1, degree, Map.of("quadrature", 40));
    double[] c = new double[(degree + 1) * (degree + 1)];
    c[degree + 1 + 2] = 1;
    Fixtures.set(flow, c);
    double l = 2 * Fixtures.R;
    double[][] rule = Legendre.gauss(60);
    double[] expected = new double[data.n()];
    for (int i = 0; i < data.n(); i++) {
      for (int a = 0; a < 60; a++) {
        for (int b = 0; b < 60; b++) {
          double s = rule[0][a];
          double t = rule[0][b];
          double w = -Fixtures.R + l * (s + 1) / 2;
          double bias = -Fixtures.R + l * (t + 1) / 2;
          double u = Math.sqrt(3 / l) * s * Math.sqrt(5 / l) * (3 * t * t - 1) / 2;
          expected[i] += rule[1][a] * rule[1][b] * (l / 2) * (l / 2) * u * Math.tanh(w * data.x()[i] + bias);
        }
      }
    }
    assertThat(Fixtures.maxRelativeDifference(flow.predict(data), expected)).isLessThan(1e-12);
  }

  /** v = −(A c − b), matrix-free and dense, and A symmetric: the kit's linear check. */
  @ParameterizedTest(name = "{0} k={1}")
  @MethodSource("backendsAndDimensions")
  void velocityIsTheNegativeAffineResidual(String backend, int k) {
    kit(k).linearStructureGivesTheVelocity(Fixtures.REGISTRY.backend(backend));
  }

  /** The kit's checks on the two-Sobolev problem: {@code degree} (k == 2 ? 5 : 3), a random start from the seed. */
  private static DiscretizationKit kit(int k) {
    return DiscretizationKit.of(new SpectralDiscretization(), Fixtures.twoSobolevProblem(k),
        Map.of("degree", k == 2 ? 5 : 3, "init", Map.of("kind", "gaussian"))).seed(5);
  }


  /** The metric is the identity: v = −∇_c J, ∂J/∂c_α by central differences (the kit's gradient check). */
  @ParameterizedTest(name = "{0} k={1}")
  @MethodSource("backendsAndDimensions")
  void velocityIsTheNegativeGradient(String backend, int k) {
    kit(k).seed(11).velocityIsTheMetricGradient(Fixtures.REGISTRY.backend(backend));
  }

  @Test
  void badProblemsAndOptionsAreSpecErrorsNamingTheKey() {
    DensityWeight w = UNIFORM;
    Dataset d3 = Fixtures.data(10, 3, 2);
    VariationalProblem fourDimensional = new VariationalProblem(d3, null,
        new DensityModel(Activation.TANH, Fixtures.box(4), w), Loss.SQUARED, List.of(new Sobolev(0.1, 1, 1)));
    assertThatThrownBy(() -> Fixtures.flow(fourDimensional, "jvm", 1, 2, Map.of()))
        .isInstanceOf(SpecException.class).hasMessageStartingWith("model.domain").hasMessageContaining("at most 3")
        .satisfies(ex -> assertThat(((SpecException) ex).key()).isEqualTo("model.domain"));

    Dataset d1 = Fixtures.data(10, 1, 2);
    VariationalProblem mismatch = new VariationalProblem(d1, null,
        new DensityModel(Activation.TANH, Fixtures.box(3), w), Loss.SQUARED, List.of());
    assertThatThrownBy(() -> Fixtures.flow(mismatch, "jvm", 1, 2, Map.of()))
        .isInstanceOf(SpecException.class).satisfies(ex -> assertThat(((SpecException) ex).key()).isEqualTo("model.domain"));

    VariationalProblem tikhonov = Fixtures.problem(d1, Activation.TANH, w, new Sobolev(0.1, 1, 1), new Tikhonov(0.1));
    assertThatThrownBy(() -> Fixtures.flow(tikhonov, "jvm", 1, 2, Map.of()))
        .isInstanceOf(SpecException.class).hasMessageContaining("tikhonov")
        .satisfies(ex -> assertThat(((SpecException) ex).key()).isEqualTo("regularizers[1].kind"));

    VariationalProblem ok = Fixtures.problem(d1, Activation.TANH, w, new Sobolev(0.1, 1, 1));
    for (Object bad : List.of(-1, "many", 2.5, 100000)) {
      assertThatThrownBy(() -> Fixtures.flow(ok, "jvm", 1, 2, Map.of("degree", bad)))
          .isInstanceOf(SpecException.class).hasMessageStartingWith("discretization.degree");
    }
    for (Object bad : List.of(0, 3, "few", 1.5, 5000)) {
      assertThatThrownBy(() -> Fixtures.flow(ok, "jvm", 1, 3, Map.of("quadrature", bad)))
          .isInstanceOf(SpecException.class).hasMessageStartingWith("discretization.quadrature");
    }
    assertThat(Fixtures.flow(ok, "jvm", 1, 3, Map.of("quadrature", 4)).state().get("c").rows()).isEqualTo(16);
    assertThat(Fixtures.flow(ok, "jvm", 1, 0, Map.of()).state().get("c").rows()).isEqualTo(1);
    Map<String, Object> init = new LinkedHashMap<>(Map.of("kind", "uniform"));
    assertThatThrownBy(() -> Fixtures.flow(ok, "jvm", 1, 2, Map.of("init", init)))
        .isInstanceOf(SpecException.class).hasMessageStartingWith("discretization.init.kind");

    // defaults are written back: degree 12 (k = 2) or 6 (k = 3), quadrature 2P + 8, zeros
    for (int d = 1; d <= 2; d++) {
      Options defaults = Fixtures.REGISTRY.discretization("spectral").options().node("discretization", Map.of());
      DiscreteFlow flow = Fixtures.REGISTRY.discretization("spectral").discretize(
          Fixtures.problem(Fixtures.data(5, d, 1), Activation.TANH, w, new Sobolev(0.1, 1, 1)), defaults,
          new FlowContext(Fixtures.REGISTRY.backend("jvm"), Precision.FLOAT64, 1));
      int p = d == 1 ? 12 : 6;
      assertThat(defaults.asMap()).containsEntry("degree", (long) p).containsEntry("quadrature", (long) (2 * p + 8));
      assertThat(flow.state().get("c").rows()).isEqualTo((int) Math.pow(p + 1, d + 1));
      assertThat(flow.state().get("c").toDoubleArray()).containsOnly(0.0);
    }
  }

  /**
   * The norms of u in the history against an independent quadrature of the expansion: ∫u² and ∫|∇u|² on
   * [−R, R]² (ω = 1) by the midpoint rule on a 400² lattice, with u read through {@code density().values} and its
   * gradient by central differences (both O(h²), well below the 1e-4 asked).
   */
  @ParameterizedTest
  @MethodSource("backends")
  void diagnosticsAreTheL2AndH1NormsOfU(String backend) {
    DiscreteFlow flow = Fixtures.gaussianFlow(Fixtures.problem(Fixtures.data(10, 1, 1), Activation.TANH, UNIFORM,
        new Sobolev(0.1, 1, 1)), backend, 3, 4, 1.0);
    int lattice = 400;
    double h = 2 * Fixtures.R / lattice;
    double eps = 1e-5;
    double[] t = new double[2 * 5 * lattice * lattice];
    int p = 0;
    for (int i = 0; i < lattice; i++) {
      for (int j = 0; j < lattice; j++) {
        double w = -Fixtures.R + (i + 0.5) * h;
        double b = -Fixtures.R + (j + 0.5) * h;
        double[][] at = {{w, b}, {w + eps, b}, {w - eps, b}, {w, b + eps}, {w, b - eps}};
        for (double[] point : at) {
          t[p++] = point[0];
          t[p++] = point[1];
        }
      }
    }
    double[] u = flow.density().orElseThrow().values(t);
    double l2 = 0;
    double gradient = 0;
    for (int q = 0; q < lattice * lattice; q++) {
      double dw = (u[5 * q + 1] - u[5 * q + 2]) / (2 * eps);
      double db = (u[5 * q + 3] - u[5 * q + 4]) / (2 * eps);
      l2 += u[5 * q] * u[5 * q] * h * h;
      gradient += (dw * dw + db * db) * h * h;
    }
    Map<String, Double> norms = flow.diagnostics();
    assertThat(norms.keySet()).containsExactly("u_l2", "u_h1");
    assertThat(norms.get("u_l2")).isCloseTo(Math.sqrt(l2), offset(1e-4 * Math.sqrt(l2)));
    assertThat(norms.get("u_h1")).isCloseTo(Math.sqrt(l2 + gradient), offset(1e-4 * Math.sqrt(l2 + gradient)));
    flow.close();
  }
}
