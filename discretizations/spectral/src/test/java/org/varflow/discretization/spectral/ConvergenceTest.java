package org.varflow.discretization.spectral;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.DensityWeight;
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
   * Spectral convergence for k = 2 (d = 1), σ = tanh, α = 10⁻², uniform ω. The continuum minimizer solves
   * α(−gΔu + l u) = Σ_i r_i σ(w x_i + b)/n with natural boundary conditions, an analytic right-hand side
   * on the box, so u* is analytic and its Legendre–Galerkin approximations converge faster than any power
   * of P (exponentially, e_P ~ C ρ^{−P}). Errors e_P = ‖f_P − f_24‖_rms at 25 test points pass
   * {@link Fixtures#assertFasterThanAnyPower}.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void predictionsConvergeSpectrallyInTheDegree(String backend) {
    int[] degrees = {2, 4, 6, 8, 10, 12};
    Dataset train = Fixtures.data(20, 1, 31);
    double[] xs = new double[25];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = -1.5 + 3.0 * i / (xs.length - 1);
    }
    Dataset test = new Dataset("test-points", xs.length, 1, xs, new double[xs.length]);
    VariationalProblem problem = Fixtures.problem(train, Activation.TANH, new DensityWeight("uniform", 1),
        new Sobolev(1e-2, 1, 1));
    DiscreteFlow reference = Fixtures.flow(problem, backend, 1, 24, Map.of());
    Fixtures.stationary(reference);
    double[] fStar = reference.predict(test);
    double[] errors = Fixtures.predictionErrors(degree -> Fixtures.flow(problem, backend, 1, degree, Map.of()), degrees,
        test, fStar);
    Fixtures.assertFasterThanAnyPower("[" + backend + "] spectral convergence", degrees, errors);
  }
}
