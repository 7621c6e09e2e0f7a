package org.varflow.discretization.spectral;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.LinearFlow;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.DensityWeight;
import org.varflow.api.problem.Sobolev;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Activation;

/** A unique minimizer of the spectral flow, and spectral convergence of its predictions in the degree P. */
class ConvergenceTest {
  private static final int DEGREE = 6;
  private static final double ALPHA = 0.2;
  private static final double L2 = 1.0;
  private static final DensityWeight WEIGHT = new DensityWeight("gaussian", 2.0);
  private static final Dataset DATA = Fixtures.data(30, 1, 21);
  private static final VariationalProblem PROBLEM =
      Fixtures.problem(DATA, Activation.SIGMOID, WEIGHT, new Sobolev(ALPHA, 1.0, L2));

  static java.util.stream.Stream<String> backends() {
    return Fixtures.backends();
  }

  /**
   * λ = α·l·min_Ω ω bounds the spectrum of A from below: A = ΨᵀΨ/n + α(g K_ω + l M_ω) with ΨᵀΨ and K_ω
   * positive semi-definite, and M_ω = Σ_q w_q ω(θ_q) B_qᵀB_q ≥ min ω · BᵀWB = min ω · I (positive Gauss
   * weights, exact mass matrix). On [−2, 2]² with ω = exp(−|θ|²/8) the minimum is e^{−1}.
   */
  private static double lambda() {
    return ALPHA * L2 * Math.exp(-2 * Fixtures.R * Fixtures.R / (2 * 2.0 * 2.0));
  }

  private static double[] stationary(DiscreteFlow flow) {
    Fixtures.solve(flow, "stationary", Map.of("method", "cholesky"));
    return flow.parameters().get("u").toDoubleArray();
  }

  /**
   * A is SPD, so the minimizer is unique: two random starts end at the same c* by the stationary solve
   * (rel 1e-10) and by a long explicit Euler run with h = 1/L, L ≥ λ_max(A) (rel 1e-8): every error
   * component shrinks by (1 − hμ) ≤ e^{−hλ} per step, so ⌈ln(10¹¹)/(hλ)⌉ steps are enough.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void theMinimizerDoesNotDependOnTheInitialState(String backend) {
    double[] first = stationary(Fixtures.gaussianFlow(PROBLEM, backend, 1, DEGREE, 1.0));
    double[] second = stationary(Fixtures.gaussianFlow(PROBLEM, backend, 2, DEGREE, 1.0));
    assertThat(Fixtures.relativeDifference(second, first)).isLessThan(1e-10);

    int size = (DEGREE + 1) * (DEGREE + 1);
    for (long seed : new long[] {1, 2}) {
      DiscreteFlow flow = Fixtures.gaussianFlow(PROBLEM, backend, seed, DEGREE, 1.0);
      LinearFlow linear = flow.linear().orElseThrow();
      double h = 1 / Fixtures.largestEigenvalue(linear, size);
      long steps = (long) Math.ceil(Math.log(1e11) / (h * lambda()));
      Fixtures.solve(flow, "explicit-euler", Map.of("step", h, "steps", steps, "record_every", steps));
      double[] u = flow.parameters().get("u").toDoubleArray();
      System.out.printf("[%s] explicit Euler seed %d: %d steps of h = %.4f, rel. distance to c* %.2e%n",
          backend, seed, steps, h, Fixtures.relativeDifference(u, first));
      assertThat(Fixtures.relativeDifference(u, first)).isLessThan(1e-8);
    }
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
    stationary(reference);
    double[] fStar = reference.predict(test);
    double[] errors = Fixtures.predictionErrors(degree -> Fixtures.flow(problem, backend, 1, degree, Map.of()), degrees,
        test, fStar);
    Fixtures.assertFasterThanAnyPower("[" + backend + "] spectral convergence", degrees, errors);
  }
}
