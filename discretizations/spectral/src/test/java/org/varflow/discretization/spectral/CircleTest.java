package org.varflow.discretization.spectral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.varflow.api.SpecException;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.Sobolev;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Tensor;

/**
 * The circle domain Ω = S¹_r × [b₀, b₁] for inputs in R² (w = r(cos ϕ, sin ϕ)): the Fourier ⊗ Legendre basis,
 * its Sobolev matrix, predictions as the integral over Ω, spectral convergence and network sampling.
 */
class CircleTest {
  private static final double RADIUS = Fixtures.RADIUS;

  static Stream<String> backends() {
    return Fixtures.backends();
  }

  private static VariationalProblem problem(Dataset data, double alpha) {
    return Fixtures.problem(data, Fixtures.CIRCLE, Activation.TANH, Fixtures.UNIFORM, new Sobolev(alpha, 1, 1));
  }

  /**
   * With the fewest allowed points (Q = 2P + 1, exact for trigonometric degree 2P and polynomial degree 2P)
   * the basis is orthonormal in L²(r dϕ db) and M = I. The gradient form is diagonal on the Fourier modes:
   * ∫ |(1/r)∂_ϕ e_a|² r dϕ = (n_a/r)², n_a = ⌈a/2⌉, and on Legendre degree 1 in b: ∫ p_1'² = 12/L_b².
   */
  @Test
  void fourierLegendreBasisIsOrthonormalWithTheHandComputedStiffness() {
    int degree = 3;
    Basis basis = new Basis(Fixtures.CIRCLE, Fixtures.UNIFORM, degree, 2 * degree + 1);
    int size = basis.size;
    assertThat(size).isEqualTo((2 * degree + 1) * (degree + 1));
    double err = 0;
    for (int a = 0; a < size; a++) {
      for (int b = 0; b < size; b++) {
        double gram = 0;
        for (int q = 0; q < basis.nodeCount; q++) {
          gram += basis.weightedValues[q * size + a] * basis.weightedValues[q * size + b] / basis.weights[q];
        }
        err = Math.max(err, Math.abs(gram - (a == b ? 1 : 0)));
      }
    }
    assertThat(err).isLessThan(1e-12);
    double[] mass = basis.sobolev(0, 1);
    double[] stiffness = basis.sobolev(1, 0);
    double massError = 0;
    for (int a = 0; a < size; a++) {
      for (int b = 0; b < size; b++) {
        massError = Math.max(massError, Math.abs(mass[a * size + b] - (a == b ? 1 : 0)));
      }
    }
    assertThat(massError).isLessThan(1e-12);
    for (int fourier = 0; fourier < 2 * degree + 1; fourier++) {
      int row = fourier * (degree + 1); // Legendre index 0: constant in b
      double n = (fourier + 1) / 2;
      for (int column = 0; column < size; column++) {
        double expected = column == row ? n * n / (RADIUS * RADIUS) : 0;
        assertThat(stiffness[row * size + column]).as("S[%d][%d]", row, column)
            .isCloseTo(expected, offset(1e-12));
      }
    }
    int bLinear = 1; // Fourier index 0, Legendre index 1
    assertThat(stiffness[bLinear * size + bLinear]).isCloseTo(12.0 / 4, offset(1e-12));
    assertThat(basis.nodes.length).isEqualTo(3 * basis.nodeCount);
    for (int q = 0; q < basis.nodeCount; q++) {
      double w1 = basis.nodes[3 * q];
      double w2 = basis.nodes[3 * q + 1];
      assertThat(Math.hypot(w1, w2)).isCloseTo(RADIUS, offset(1e-14));
    }
  }

  /**
   * f(x) = ∫_{S¹_r × [b₀, b₁]} u σ(w·x + b) dθ for u = √(2/(2πr)) sin ϕ · √(5/2)(3b² − 1)/2 (the basis
   * function with Fourier index 2 and Legendre index 2; odd-odd products such as cos ϕ · b integrate to 0
   * against the odd tanh by the symmetry (ϕ, b) → (ϕ + π, −b)), against an independent 400-point midpoint rule in ϕ times a
   * 60-point Gauss rule in b, both converging exponentially for the analytic tanh integrand.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void predictionsAreTheIntegralOverTheCircle(String backend) {
    Dataset data = Fixtures.data(9, 2, 8);
    int degree = 3;
    DiscreteFlow flow = Fixtures.flow(problem(data, 0.1), backend, 1, degree, Map.of("quadrature", 48));
    double[] c = new double[(2 * degree + 1) * (degree + 1)];
    c[2 * (degree + 1) + 2] = 1;
    Fixtures.set(flow, c);
    double[][] gauss = Legendre.gauss(60);
    int angles = 400;
    double[] expected = new double[data.n()];
    for (int i = 0; i < data.n(); i++) {
      double x1 = data.x()[2 * i];
      double x2 = data.x()[2 * i + 1];
      for (int a = 0; a < angles; a++) {
        double phi = 2 * Math.PI * (a + 0.5) / angles;
        for (int j = 0; j < 60; j++) {
          double b = gauss[0][j]; // [b₀, b₁] = [−1, 1]
          double u = Math.sqrt(2 / (2 * Math.PI * RADIUS)) * Math.sin(phi) * Math.sqrt(2.5) * (3 * b * b - 1) / 2;
          double measure = RADIUS * 2 * Math.PI / angles * gauss[1][j];
          expected[i] += measure * u * Math.tanh(RADIUS * (Math.cos(phi) * x1 + Math.sin(phi) * x2) + b);
        }
      }
    }
    assertThat(Fixtures.maxRelativeDifference(flow.predict(data), expected)).isLessThan(1e-10);
  }

  /**
   * On the circle with the L² regularizer (g = 0) the minimizer u* = (1/αn) Σ_i r_i σ(w·x_i + b) is known in
   * closed form ({@link Fixtures#l2Minimizer}; integrals by a 256-angle trapezoid rule times a 60-point Gauss rule
   * in b) and analytic and periodic in ϕ, so the Fourier ⊗ Legendre Galerkin predictions converge geometrically:
   * P = 2, 4, …, 14 pass {@link Fixtures#geometricFailure} (measured: e_{P+2}/e_P between 0.017 and 0.07).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void predictionsConvergeGeometricallyInTheDegree(String backend) {
    int[] degrees = {2, 4, 6, 8, 10, 12, 14};
    double alpha = 1e-2;
    Dataset train = Fixtures.data(30, 2, 31);
    Dataset test = Fixtures.data(25, 2, 32);
    double[] fStar = Fixtures.l2Minimizer(train, test, Activation.TANH, alpha, Fixtures.circleRule(256, 60));
    VariationalProblem problem = Fixtures.problem(train, Fixtures.CIRCLE, Activation.TANH, Fixtures.UNIFORM,
        new Sobolev(alpha, 0, 1));
    double[] errors = Fixtures.predictionErrors(degree -> Fixtures.flow(problem, backend, 1, degree, Map.of()), degrees,
        test, fStar);
    Fixtures.assertGeometric("[" + backend + "] circle spectral convergence", degrees, errors);
  }

  /**
   * Networks drawn from the Gauss/trapezoid quadrature of u* have |w_j| = r and their mean squared distance
   * to f(·; u*) falls as 1/N (log–log slope −1 ± 0.15 over N = 16…1024, 40 seeds).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void sampledNetworksLieOnTheCircleAndConvergeAtRateOneOverN(String backend) {
    Dataset data = Fixtures.data(40, 2, 5);
    DiscreteFlow flow = Fixtures.flow(problem(data, 1e-2), backend, 1, 5, Map.of());
    Fixtures.solve(flow, "stationary", Map.of());
    Tensor w = flow.density().orElseThrow().sample(64, 3).get("W");
    double[] theta = w.toDoubleArray();
    for (int j = 0; j < 64; j++) {
      assertThat(Math.hypot(theta[3 * j], theta[3 * j + 1])).isCloseTo(RADIUS, offset(1e-12));
    }
    int[] widths = {16, 64, 256, 1024};
    double[] errors = Fixtures.samplingErrors(flow, data, Activation.TANH, widths, 40);
    double slope = Fixtures.slope(Arrays.stream(widths).mapToDouble(Math::log).toArray(),
        Arrays.stream(errors).map(Math::log).toArray());
    System.out.printf("[%s] circle spectral sampling: mean squared distances %s, log–log slope %.3f%n", backend,
        Arrays.toString(errors), slope);
    assertThat(slope).isBetween(-1.15, -0.85);
  }

  @Test
  void aCircleNeedsPlanarInputsAndEnoughAnglePoints() {
    VariationalProblem line = problem(Fixtures.data(10, 1, 2), 0.1);
    assertThatThrownBy(() -> Fixtures.flow(line, "jvm", 1, 2, Map.of()))
        .isInstanceOf(SpecException.class).hasMessageContaining("needs inputs in R²")
        .satisfies(ex -> assertThat(((SpecException) ex).key()).isEqualTo("model.domain"));
    VariationalProblem plane = problem(Fixtures.data(10, 2, 2), 0.1);
    assertThatThrownBy(() -> Fixtures.flow(plane, "jvm", 1, 4, Map.of("quadrature", 8)))
        .isInstanceOf(SpecException.class).hasMessageStartingWith("discretization.quadrature")
        .hasMessageContaining("2 degree + 1 = 9");
    for (int degree : List.of(0, 4)) {
      assertThat(Fixtures.flow(plane, "jvm", 1, degree, Map.of()).state().get("c").rows())
          .isEqualTo((2 * degree + 1) * (degree + 1));
    }
  }
}
