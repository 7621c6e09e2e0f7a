package org.varflow.discretization.grid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.Sobolev;
import org.varflow.api.problem.VariationalProblem;

/**
 * The continuum statements behind the grid flow, checked numerically on every backend: a unique minimizer,
 * the α·l·min ω convergence rate of the L² flow, second-order grid convergence and data stability.
 */
class ConvergenceTest {
  private static final int POINTS = 9;
  private static final double ALPHA = Fixtures.CONVEX_ALPHA;
  private static final Dataset DATA = Fixtures.CONVEX_DATA;
  private static final VariationalProblem PROBLEM = Fixtures.convexProblem(DATA);

  static java.util.stream.Stream<String> backends() {
    return Fixtures.backends();
  }

  /** The problem is α-convex, so two random starts reach one minimizer ({@link Fixtures#assertUniqueMinimizer}). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void theMinimizerDoesNotDependOnTheInitialState(String backend) {
    Fixtures.assertUniqueMinimizer("[" + backend + "] grid",
        seed -> Fixtures.gaussianFlow(PROBLEM, backend, seed, POINTS, 1.0), Fixtures.convexLambda());
  }

  /**
   * J(v_t) − J* = ½ (v_t − v*)ᵀ A (v_t − v*) ≤ e^{−2λt} (J(v_0) − J*) along the flow; explicit Euler with
   * h ≤ 1/λ_max(A) contracts every mode at least as fast, (1 − hμ)² ≤ e^{−2hλ} per step. So the fitted
   * slope of log(J − J*) against t is at most −2λ (asserted with 5% slack).
   *
   * <p>Two-sided, with the spectrum of A: the gap is Σ_μ c_μ (1 − hμ)^{2k}, c_μ ≥ 0, a mixture of exponentials, so
   * log(J − J*) is convex in t and every fitted slope is at most the rate of the slowest mode,
   * r = (2/h) ln(1 − hλ_min) (λ_min by inverse iteration, measured 0.209: r = −0.4267, three times the bound −2λ);
   * and over the second half of the fitted times, where the faster modes have died out, the slope is within 5% of
   * r (measured 1.1% steeper). A flow that ran too fast, or too slow, for its time fails this.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void theL2FlowDecaysAtRateTwoAlphaLMinOmega(String backend) {
    DiscreteFlow minimizer = Fixtures.gaussianFlow(PROBLEM, backend, 1, POINTS, 1.0);
    Fixtures.stationary(minimizer);
    double jStar = minimizer.evaluate(false).energy();

    DiscreteFlow flow = Fixtures.gaussianFlow(PROBLEM, backend, 7, POINTS, 1.0);
    double h = 1 / flow.linear().orElseThrow().largestEigenvalueBound(7);
    double lambdaMin = Fixtures.smallestEigenvalue(flow.linear().orElseThrow(), 3);
    double slowest = 2 / h * Math.log(1 - h * lambdaMin);
    long steps = (long) Math.ceil(8 / (h * Fixtures.convexLambda()));
    List<double[]> records = Fixtures.solve(flow, "explicit-euler", Map.of("step", h, "steps", steps, "record_every", 20));
    double[] t = records.stream().filter(r -> r[1] - jStar > 1e-11).mapToDouble(r -> r[0]).toArray();
    double[] logGap = records.stream().filter(r -> r[1] - jStar > 1e-11).mapToDouble(r -> Math.log(r[1] - jStar)).toArray();
    assertThat(t.length).isGreaterThan(10);
    double slope = Fixtures.slope(t, logGap);
    int half = t.length / 2;
    double tail = Fixtures.slope(Arrays.copyOfRange(t, half, t.length), Arrays.copyOfRange(logGap, half, t.length));
    System.out.printf("[%s] L² flow: fitted d log(J − J*)/dt = %.4f (second half %.4f), slowest mode (2/h) ln(1 − hλ_min)"
        + " = %.4f (λ_min = %.4f), bound −2λ = %.4f (λ = α l min ω = %.4f)%n",
        backend, slope, tail, slowest, lambdaMin, -2 * Fixtures.convexLambda(), Fixtures.convexLambda());
    assertThat(lambdaMin).isGreaterThanOrEqualTo(Fixtures.convexLambda());
    assertThat(slope).isLessThanOrEqualTo(-2 * Fixtures.convexLambda() * 0.95);
    assertThat(slope).as("fitted slope against the slowest mode's").isLessThanOrEqualTo(slowest * (1 - 1e-6));
    assertThat(tail).as("late slope against the slowest mode's").isBetween(slowest * 1.05, slowest * (1 - 1e-6));
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
    Fixtures.stationary(base);
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
      DiscreteFlow other = Fixtures.flow(Fixtures.convexProblem(perturbed), backend, 1, POINTS, Map.of());
      Fixtures.stationary(other);
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
