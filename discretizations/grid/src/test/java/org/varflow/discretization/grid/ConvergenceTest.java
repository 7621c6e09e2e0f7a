package org.varflow.discretization.grid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.LinearFlow;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.DensityWeight;
import org.varflow.api.problem.Sobolev;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Activation;

/**
 * The continuum statements behind the grid flow, checked numerically on every backend: a unique minimizer,
 * the α·l·min ω convergence rate of the L² flow, second-order grid convergence and data stability.
 */
class ConvergenceTest {
  private static final int POINTS = 9;
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
   * λ = α·l·min_Ω ω bounds the spectrum of A from below: A = M^{1/2}ΨᵀΨM^{1/2}/n + α M^{−1/2}(gK_ω + lM_ω)M^{−1/2}
   * where the data term and K_ω are positive semi-definite, and M^{−1/2} M_ω M^{−1/2} = diag(ω(θ_q)) ≥ min_Ω ω.
   * On Ω = [−2, 2]² with ω = exp(−|θ|²/8) the minimum is at the corners: e^{−1}.
   */
  private static double lambda() {
    return ALPHA * L2 * Math.exp(-2 * Fixtures.R * Fixtures.R / (2 * 2.0 * 2.0));
  }

  private static double[] stationary(DiscreteFlow flow) {
    Fixtures.solve(flow, "stationary", Map.of("method", "cholesky"));
    return flow.parameters().get("u").toDoubleArray();
  }

  /**
   * A is SPD, so the minimizer is unique: two random starts end at the same u* by the stationary solve
   * (rel 1e-10) and by a long explicit Euler run with h = 1/L (rel 1e-8). With L ≥ λ_max(A), every
   * error component shrinks by (1 − hμ) ≤ e^{−hλ} per step, so ⌈ln(10¹¹)/(hλ)⌉ steps are enough.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void theMinimizerDoesNotDependOnTheInitialState(String backend) {
    double[] first = stationary(Fixtures.gaussianFlow(PROBLEM, backend, 1, POINTS, 1.0));
    double[] second = stationary(Fixtures.gaussianFlow(PROBLEM, backend, 2, POINTS, 1.0));
    assertThat(Fixtures.relativeDifference(second, first)).isLessThan(1e-10);

    for (long seed : new long[] {1, 2}) {
      DiscreteFlow flow = Fixtures.gaussianFlow(PROBLEM, backend, seed, POINTS, 1.0);
      LinearFlow linear = flow.linear().orElseThrow();
      double h = 1 / Fixtures.largestEigenvalue(linear, POINTS * POINTS);
      long steps = (long) Math.ceil(Math.log(1e11) / (h * lambda()));
      Fixtures.solve(flow, "explicit-euler", Map.of("step", h, "steps", steps, "record_every", steps));
      double[] u = flow.parameters().get("u").toDoubleArray();
      System.out.printf("[%s] explicit Euler seed %d: %d steps of h = %.4f, rel. distance to u* %.2e%n",
          backend, seed, steps, h, Fixtures.relativeDifference(u, first));
      assertThat(Fixtures.relativeDifference(u, first)).isLessThan(1e-8);
    }
  }

  /**
   * J(v_t) − J* = ½ (v_t − v*)ᵀ A (v_t − v*) ≤ e^{−2λt} (J(v_0) − J*) along the flow; explicit Euler with
   * h ≤ 1/λ_max(A) contracts every mode at least as fast, (1 − hμ)² ≤ e^{−2hλ} per step. So the fitted
   * slope of log(J − J*) against t is at most −2λ (asserted with 5% slack).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void theL2FlowDecaysAtRateTwoAlphaLMinOmega(String backend) {
    DiscreteFlow minimizer = Fixtures.gaussianFlow(PROBLEM, backend, 1, POINTS, 1.0);
    stationary(minimizer);
    double jStar = minimizer.evaluate(false).energy();

    DiscreteFlow flow = Fixtures.gaussianFlow(PROBLEM, backend, 7, POINTS, 1.0);
    double h = 1 / Fixtures.largestEigenvalue(flow.linear().orElseThrow(), POINTS * POINTS);
    long steps = (long) Math.ceil(8 / (h * lambda()));
    List<double[]> records = Fixtures.solve(flow, "explicit-euler", Map.of("step", h, "steps", steps, "record_every", 20));
    double[] t = records.stream().filter(r -> r[1] - jStar > 1e-11).mapToDouble(r -> r[0]).toArray();
    double[] logGap = records.stream().filter(r -> r[1] - jStar > 1e-11).mapToDouble(r -> Math.log(r[1] - jStar)).toArray();
    assertThat(t.length).isGreaterThan(10);
    double slope = Fixtures.slope(t, logGap);
    System.out.printf("[%s] L² flow: fitted d log(J − J*)/dt = %.4f, bound −2λ = %.4f (λ = α l min ω = %.4f)%n",
        backend, slope, -2 * lambda(), lambda());
    assertThat(slope).isLessThanOrEqualTo(-2 * lambda() * 0.95);
  }

  /**
   * Data stability of the minimizer: with Δu = u*(y) − u*(y'), the normal equations
   * (MΨᵀΨM/n + αS) Δu = MΨᵀΔy/n give, for a = |ΨMΔu|/√n and e = ‖Δy‖_rms,
   * a² + α ‖Δu‖²_S ≤ a·e, so α ‖Δu‖²_S ≤ max_a (a e − a²) = e²/4: ‖Δu‖_S ≤ e/(2√α).
   * ‖Δu‖²_S = (2/α) × the {@code sobolev} energy of the state Δv.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void theMinimizerIsStableInTheData(String backend) {
    DiscreteFlow base = Fixtures.flow(PROBLEM, backend, 1, POINTS, Map.of());
    stationary(base);
    double[] v = base.state().get("v").toDoubleArray();
    SplittableRandom rng = new SplittableRandom(5);
    for (int trial = 0; trial < 3; trial++) {
      double[] y = DATA.y().clone();
      double rmsSq = 0;
      for (int i = 0; i < y.length; i++) {
        double dy = 0.3 * rng.nextGaussian() + 0.2 * trial * Math.sin(3 * DATA.x()[i]);
        y[i] += dy;
        rmsSq += dy * dy / y.length;
      }
      Dataset perturbed = new Dataset("perturbed", DATA.n(), DATA.d(), DATA.x(), y);
      DiscreteFlow other = Fixtures.flow(Fixtures.problem(perturbed, Activation.SIGMOID, WEIGHT,
          new Sobolev(ALPHA, 1.0, L2)), backend, 1, POINTS, Map.of());
      stationary(other);
      double[] dv = other.state().get("v").toDoubleArray();
      for (int q = 0; q < dv.length; q++) {
        dv[q] -= v[q];
      }
      Fixtures.set(other, dv);
      double sNorm = Math.sqrt(2 / ALPHA * other.evaluate(false).parts().get(Sobolev.KIND));
      double bound = Math.sqrt(rmsSq) / (2 * Math.sqrt(ALPHA));
      System.out.printf("[%s] stability: ‖Δu‖_S = %.4e ≤ ‖Δy‖_rms/(2√α) = %.4e (ratio %.3f)%n",
          backend, sNorm, bound, sNorm / bound);
      assertThat(sNorm).isLessThanOrEqualTo(bound);
      assertThat(sNorm / bound).isGreaterThan(1e-3);
    }
  }
}
