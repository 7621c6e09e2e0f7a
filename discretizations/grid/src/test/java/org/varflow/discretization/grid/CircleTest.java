package org.varflow.discretization.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.DensityWeight;
import org.varflow.api.problem.ParameterDomain;
import org.varflow.api.problem.Sobolev;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Activation;

/**
 * The periodic grid on the circle domain Ω = S¹_r × [b₀, b₁] (inputs in R², w = r(cos ϕ, sin ϕ)): its
 * quadrature and stiffness against hand-computed sums, its interpolant, and second-order convergence to the
 * independent Fourier ⊗ Legendre spectral solution of the same problem.
 */
class CircleTest {
  private static final double RADIUS = Fixtures.RADIUS;
  private static final ParameterDomain CIRCLE = Fixtures.CIRCLE;
  private static final DensityWeight UNIFORM = Fixtures.UNIFORM;

  static Stream<String> backends() {
    return Fixtures.backends();
  }

  /**
   * For u = cos ϕ on N angles (Δ = 2π/N, no duplicate node) and any b grid on [−1, 1]: Σ_q μ_q = 2πr·2,
   * uᵀMu = (2πr/N)·(N/2)·2 = 2πr, and only angle edges carry differences, so
   * uᵀKu = 2 Σ_q (cos ϕ_{q+1} − cos ϕ_q)²/(rΔ) = 2N(1 − cos Δ)/(rΔ) (wrap-around edge included) → 2π/r.
   */
  @Test
  void periodicQuadratureAndStiffnessAreTheHandComputedSums() {
    for (int points : new int[] {3, 8, 33}) {
      Grid grid = new Grid(CIRCLE, UNIFORM, points);
      double delta = 2 * Math.PI / points;
      double[] v = new double[grid.size];
      double area = 0;
      for (int q = 0; q < grid.size; q++) {
        double phi = (q / points) * delta; // angle is the first axis
        v[q] = Math.sqrt(grid.mu[q]) * Math.cos(phi); // v = M^{1/2} u
        area += grid.mu[q];
        double w1 = grid.nodes[3 * q];
        double w2 = grid.nodes[3 * q + 1];
        assertThat(Math.atan2(w2, w1)).isCloseTo(Math.atan2(Math.sin(phi), Math.cos(phi)), offset(1e-12));
        assertThat(Math.hypot(w1, w2)).isCloseTo(RADIUS, offset(1e-14));
      }
      assertThat(area).isCloseTo(2 * Math.PI * RADIUS * 2, offset(1e-12));
      assertThat(dot(v, grid.applyNormalized(v, 0, 1))).isCloseTo(2 * Math.PI * RADIUS, offset(1e-12));
      assertThat(dot(v, grid.applyNormalized(v, 1, 0)))
          .isCloseTo(2 * points * (1 - Math.cos(delta)) / (RADIUS * delta), offset(1e-12));
    }
  }

  /** The Q1 interpolant is exact at the nodes and closes periodically: half-way from the last angle to 2π it is the mean of the two ends. */
  @Test
  void theInterpolantWrapsAroundTheCircle() {
    int points = 6;
    Grid grid = new Grid(CIRCLE, UNIFORM, points);
    double[] u = new double[grid.size];
    for (int q = 0; q < grid.size; q++) {
      u[q] = q * q % 7 - 3;
    }
    double delta = 2 * Math.PI / points;
    double bStep = 2.0 / (points - 1);
    double[] atNodes = new double[2 * grid.size];
    for (int q = 0; q < grid.size; q++) {
      atNodes[2 * q] = (q / points) * delta;
      atNodes[2 * q + 1] = -1 + (q % points) * bStep;
    }
    assertThat(grid.interpolate(u, atNodes)).containsExactly(u, offset(1e-12));
    int j = 2; // a b node
    double[] wrap = grid.interpolate(u, new double[] {2 * Math.PI - delta / 2, -1 + j * bStep});
    assertThat(wrap[0]).isCloseTo((u[(points - 1) * points + j] + u[j]) / 2, offset(1e-12));
  }

  /**
   * The grid and spectral discretizations approximate the same continuum minimizer by independent means (P1
   * finite differences with trapezoid quadrature vs Fourier ⊗ Legendre Galerkin with Gauss quadrature). With
   * the spectral solution at P = 14 as reference (its own error ~1e-12), the grid's prediction error falls as
   * h² (fitted log–log slope against N in [−2.3, −1.7], N = 8, 16, 32 per axis).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void convergesToTheSpectralSolutionAtSecondOrder(String backend) {
    Dataset train = Fixtures.data(30, 2, 41);
    Dataset test = Fixtures.data(25, 2, 42);
    VariationalProblem problem = Fixtures.problem(train, CIRCLE, Activation.TANH, UNIFORM, new Sobolev(1e-2, 1, 1));
    DiscreteFlow spectral = Fixtures.flow("spectral", "degree", problem, backend, 1, 14, Map.of());
    Fixtures.stationary(spectral);
    double[] reference = spectral.predict(test);
    int[] points = {8, 16, 32};
    double[] errors = Fixtures.predictionErrors(n -> Fixtures.flow(problem, backend, 1, n, Map.of()), points, test,
        reference);
    double[] logN = Arrays.stream(points).mapToDouble(Math::log).toArray();
    double[] logE = Arrays.stream(errors).map(Math::log).toArray();
    double slope = Fixtures.slope(logN, logE);
    System.out.printf("[%s] circle grid → spectral: N = %s, rms errors %s, fitted slope %.3f%n", backend,
        Arrays.toString(points), Arrays.toString(errors), slope);
    assertThat(slope).isBetween(-2.3, -1.7);
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
