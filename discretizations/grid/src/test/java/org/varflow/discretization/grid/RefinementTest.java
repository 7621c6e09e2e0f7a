package org.varflow.discretization.grid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.DensityWeight;
import org.varflow.api.problem.Sobolev;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Activation;

/**
 * Grid convergence of the minimizer's predictions f(x; u*_N) for k = 2 (d = 1), σ = tanh, α = 10⁻².
 *
 * <p>Expected order: u* of the continuum problem is smooth (it solves α(−∇·(g ω∇u) + l ω u) = smooth
 * right-hand side Σ_i r_i φ(x_i; ·)/n with natural boundary conditions), the trapezoid rule is O(h²) for
 * smooth integrands and the edge finite-difference stiffness with half-weights at the ends is a
 * second-order consistent (vertex-centred finite-volume) discretization of the Neumann problem; so
 * f_N − f = C h² + o(h²), p = 2. With no exact solution at hand the order is measured from successive
 * differences D_N = ‖f_N − f_{2N−1}‖ = C h_N²(1 − 2^{−p}) + …, whose log–log slope against h is p.
 */
class RefinementTest {
  private static final int[] POINTS = {9, 17, 33, 65, 129};

  static java.util.stream.Stream<String> backends() {
    return Fixtures.backends();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void predictionsConvergeAtSecondOrderInTheGridSpacing(String backend) {
    Dataset train = Fixtures.data(20, 1, 31);
    double[] xs = new double[25];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = -1.5 + 3.0 * i / (xs.length - 1);
    }
    Dataset test = new Dataset("test-points", xs.length, 1, xs, new double[xs.length]);
    VariationalProblem problem = Fixtures.problem(train, Activation.TANH, new DensityWeight("uniform", 1),
        new Sobolev(1e-2, 1, 1));
    double[][] f = new double[POINTS.length][];
    for (int level = 0; level < POINTS.length; level++) {
      DiscreteFlow flow = Fixtures.flow(problem, backend, 1, POINTS[level], Map.of());
      Fixtures.solve(flow, "stationary", Map.of("method", "cg", "tolerance", 1e-13));
      f[level] = flow.predict(test);
    }
    double[] logH = new double[POINTS.length - 1];
    double[] logD = new double[POINTS.length - 1];
    for (int level = 0; level + 1 < POINTS.length; level++) {
      double d = 0;
      for (int i = 0; i < xs.length; i++) {
        d += Math.pow(f[level][i] - f[level + 1][i], 2) / xs.length;
      }
      logH[level] = Math.log(2 * Fixtures.R / (POINTS[level] - 1));
      logD[level] = 0.5 * Math.log(d);
    }
    double p = Fixtures.slope(logH, logD);
    System.out.printf("[%s] grid refinement N = %s: successive differences %s, order p = %.3f%n", backend,
        Arrays.toString(POINTS), Arrays.toString(Arrays.stream(logD).map(Math::exp).toArray()), p);
    assertThat(p).isBetween(1.7, 2.3);
  }
}
