package org.varflow.discretization.spectral;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.Sobolev;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Activation;

/** A unique minimizer of the spectral flow, and spectral convergence of its predictions in the degree P. */
class ConvergenceTest {
  private static final int DEGREE = 6;
  private static final VariationalProblem PROBLEM = Fixtures.convexProblem(Fixtures.CONVEX_DATA);

  static java.util.stream.Stream<String> backends() {
    return Fixtures.backends();
  }

  /** The problem is α-convex, so two random starts reach one minimizer ({@link Fixtures#assertUniqueMinimizer}). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void theMinimizerDoesNotDependOnTheInitialState(String backend) {
    Fixtures.assertUniqueMinimizer("[" + backend + "] spectral",
        seed -> Fixtures.gaussianFlow(PROBLEM, backend, seed, DEGREE, 1.0), Fixtures.convexLambda());
  }

  /**
   * Spectral convergence for k = 2 (d = 1), σ = tanh, α = 10⁻², ω = 1, and the L² regularizer (g = 0, l = 1),
   * whose minimizer u* = (1/αn) Σ_i r_i σ(w x_i + b) is known in closed form ({@link Fixtures#l2Minimizer},
   * integrals by an 80-point tensor Gauss rule) and analytic on the box, so its Legendre–Galerkin
   * approximations converge geometrically in P. Errors e_P = ‖f_P − f*‖_rms at 25 test points for
   * P = 2, 4, …, 16 pass {@link Fixtures#geometricFailure} (measured: e_{P+2}/e_P between 0.05 and 0.074).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void predictionsConvergeGeometricallyInTheDegree(String backend) {
    int[] degrees = {2, 4, 6, 8, 10, 12, 14, 16};
    double alpha = 1e-2;
    Dataset train = Fixtures.data(20, 1, 31);
    Dataset test = Fixtures.data(25, 1, 33);
    double[] fStar = Fixtures.l2Minimizer(train, test, Activation.TANH, alpha, Fixtures.boxRule(80));
    VariationalProblem problem = Fixtures.problem(train, Activation.TANH, Fixtures.UNIFORM, new Sobolev(alpha, 0, 1));
    double[] errors = Fixtures.predictionErrors(degree -> Fixtures.flow(problem, backend, 1, degree, Map.of()), degrees,
        test, fStar);
    Fixtures.assertGeometric("[" + backend + "] spectral convergence", degrees, errors);
  }
}
