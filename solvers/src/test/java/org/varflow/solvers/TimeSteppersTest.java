package org.varflow.solvers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.varflow.api.Options;
import org.varflow.api.solve.DivergenceException;
import org.varflow.api.solve.SolveResult;
import org.varflow.api.solve.Solver;
import org.varflow.api.solve.StepRecord;
import org.varflow.api.tensor.Lifetime;
import org.varflow.api.tensor.Tensor;

/**
 * Explicit and implicit Euler on E(u) = ½ uᵀA u − bᵀu with spectrum μ ∈ [λ, L] known exactly: the
 * continuum rate e^{−2λt}, the stability bound h &lt; 2/L of the explicit scheme, the unconditional
 * stability of the implicit one, and implicit Euler on a non-quadratic energy.
 */
class TimeSteppersTest {
  private static final int K = 20;
  private static final double LAMBDA = 0.2;
  private static final double L = 2.0;

  private static Options options(double h, long steps) {
    Options options = Options.empty("solver");
    options.asMap().put("step", h);
    options.asMap().put("steps", steps);
    options.asMap().put("record_every", 1);
    return options;
  }

  /** h = 1/L converges to A⁻¹b, with E(u_t) − E* decaying at least like e^{−2λt}. */
  @ParameterizedTest
  @FieldSource("org.varflow.solvers.TestFlows#BACKENDS")
  void explicitEulerConvergesAtTheContinuumRate(String backend) {
    TestFlows.Quadratic flow = new TestFlows.Quadratic(backend, K, LAMBDA, L, 11, true);
    double h = 1 / L;
    TestFlows.Recorder recorder = new TestFlows.Recorder();

    SolveResult result = TestFlows.solve(new ExplicitEuler(), flow, options(h, 400), recorder);

    assertThat(result.steps()).isEqualTo(400);
    assertThat(result.time()).isEqualTo(400 * h);
    assertThat(recorder.records).hasSize(401);
    assertThat(TestFlows.relativeError(flow.u.toDoubleArray(), flow.solution())).isLessThan(1e-8);
    // least-squares slope of log(E − E*) against t while the gap is well above rounding
    double eStar = flow.minimum();
    List<double[]> points = new ArrayList<>();
    for (StepRecord r : recorder.records) {
      double gap = r.evaluation().energy() - eStar;
      if (gap > 1e-9 * Math.abs(eStar)) {
        points.add(new double[] {r.time(), Math.log(gap)});
      }
    }
    assertThat(points.size()).isGreaterThan(50);
    double slope = slope(points);
    assertThat(slope).isLessThanOrEqualTo(-2 * LAMBDA * 0.95);
    // and not faster than the discrete rate of the slowest mode allows, −(2/h)·log(1/(1 − hλ)) ≈ −0.42
    assertThat(slope).isGreaterThan(-4 * LAMBDA);
  }

  /**
   * A solve that an observer stops, or that diverges, leaves no tensor live: the velocity of the step it ends at is
   * released (explicit Euler used to leak it).
   */
  @ParameterizedTest
  @FieldSource("org.varflow.solvers.TestFlows#BACKENDS")
  void aSolveThatEndsEarlyLeavesNoTensorLive(String backend) {
    for (Solver solver : List.of(new ExplicitEuler(), new ImplicitEuler())) {
      long before = Lifetime.live();
      try (TestFlows.Quadratic flow = new TestFlows.Quadratic(backend, K, LAMBDA, L, 13, true)) {
        SolveResult stopped = TestFlows.solve(solver, flow, options(0.5 / L, 100), record -> record.step() < 5);
        assertThat(stopped.stoppedByObserver()).isTrue();
        assertThat(stopped.steps()).isEqualTo(5);
      }
      assertThat(Lifetime.live()).as("%s stopped by its observer", solver.id()).isEqualTo(before);
    }
    long before = Lifetime.live();
    try (TestFlows.Quadratic unstable = new TestFlows.Quadratic(backend, K, LAMBDA, L, 13, true)) {
      assertThatThrownBy(() -> TestFlows.solve(new ExplicitEuler(), unstable, options(2.5 / L, 3000),
          new TestFlows.Recorder())).isInstanceOf(DivergenceException.class);
    }
    assertThat(Lifetime.live()).as("explicit-euler diverged").isEqualTo(before);
  }

  /** Beyond h = 2/L the mode μ = L is amplified by |1 − hL| &gt; 1; just below it still converges. */
  @ParameterizedTest
  @FieldSource("org.varflow.solvers.TestFlows#BACKENDS")
  void explicitEulerIsStableOnlyBelowTwoOverL(String backend) {
    TestFlows.Quadratic unstable = new TestFlows.Quadratic(backend, K, LAMBDA, L, 12, true);
    TestFlows.Recorder recorder = new TestFlows.Recorder();
    assertThatThrownBy(() -> TestFlows.solve(new ExplicitEuler(), unstable, options(2.5 / L, 3000), recorder))
        .isInstanceOf(DivergenceException.class)
        .hasMessageContaining("energy is");
    double[] e = recorder.energies();
    assertThat(e.length).isBetween(100, 3000);
    assertThat(e[e.length - 1]).isGreaterThan(1e100);

    TestFlows.Quadratic stable = new TestFlows.Quadratic(backend, K, LAMBDA, L, 12, true);
    TestFlows.solve(new ExplicitEuler(), stable, options(1.9 / L, 3000), new TestFlows.Recorder());
    assertThat(TestFlows.relativeError(stable.u.toDoubleArray(), stable.solution())).isLessThan(1e-8);
  }

  /** h = 100/L: one step is exactly (I + hA)⁻¹(u₀ + h b); the energy falls at every step to E*. */
  @ParameterizedTest
  @FieldSource("org.varflow.solvers.TestFlows#BACKENDS")
  void implicitEulerIsUnconditionallyStable(String backend) {
    double h = 100 / L;
    TestFlows.Quadratic one = new TestFlows.Quadratic(backend, K, LAMBDA, L, 13, true);
    TestFlows.solve(new ImplicitEuler(), one, options(h, 1), new TestFlows.Recorder());
    double[] rhs = one.u0.clone();
    for (int i = 0; i < K; i++) {
      rhs[i] += h * one.b[i];
    }
    assertThat(TestFlows.relativeError(one.u.toDoubleArray(), one.spectral(m -> 1 / (1 + h * m), rhs)))
        .isLessThan(1e-9);

    TestFlows.Quadratic flow = new TestFlows.Quadratic(backend, K, LAMBDA, L, 13, true);
    TestFlows.Recorder recorder = new TestFlows.Recorder();
    SolveResult result = TestFlows.solve(new ImplicitEuler(), flow, options(h, 40), recorder);
    assertDecreasesEveryStep(recorder.energies(), flow.minimum());
    assertThat(TestFlows.relativeError(flow.u.toDoubleArray(), flow.solution())).isLessThan(1e-8);
    assertThat(result.diagnostics().get("linear")).isEqualTo(true);
    assertThat(result.diagnostics().get("inner_unconverged")).isEqualTo(0L);
    assertThat((Long) result.diagnostics().get("inner_iterations")).isBetween(1L, 40L);
  }

  /** Without the linear structure the proximal inner iteration follows the same trajectory. */
  @ParameterizedTest
  @FieldSource("org.varflow.solvers.TestFlows#BACKENDS")
  void implicitEulerProximalIterationMatchesTheLinearSolve(String backend) {
    double h = 10 / L;
    TestFlows.Quadratic linear = new TestFlows.Quadratic(backend, K, LAMBDA, L, 14, true);
    TestFlows.Quadratic general = new TestFlows.Quadratic(backend, K, LAMBDA, L, 14, false);
    TestFlows.Recorder a = new TestFlows.Recorder();
    TestFlows.Recorder b = new TestFlows.Recorder();
    TestFlows.solve(new ImplicitEuler(), linear, options(h, 5), a);
    Options options = options(h, 5);
    options.asMap().put("lipschitz", L);
    SolveResult result = TestFlows.solve(new ImplicitEuler(), general, options, b);
    assertThat(TestFlows.relativeError(general.u.toDoubleArray(), linear.u.toDoubleArray())).isLessThan(1e-8);
    double[] ea = a.energies();
    double[] eb = b.energies();
    for (int i = 0; i < ea.length; i++) {
      assertThat(eb[i]).isCloseTo(ea[i], org.assertj.core.api.Assertions.within(1e-8 * Math.abs(ea[0])));
    }
    assertThat(result.diagnostics().get("linear")).isEqualTo(false);
    assertThat(result.diagnostics().get("inner_unconverged")).isEqualTo(0L);
    assertThat(options.asMap()).containsEntry("inner_step", h / (1 + h * L)).containsEntry("max_inner", 1000L);
  }

  /**
   * E = Σ log cosh(u − c) + ½λ|u|² with h = 50, 28 times the explicit bound 2/(1 + λ): each step meets
   * the proximal optimality v(u₁) = (u₁ − u₀)/h, and the energy falls at every step.
   */
  @ParameterizedTest
  @FieldSource("org.varflow.solvers.TestFlows#BACKENDS")
  void implicitEulerDecreasesANonQuadraticEnergy(String backend) {
    double lambda = 0.1;
    double h = 50;
    TestFlows.LogCosh one = new TestFlows.LogCosh(backend, 10, lambda, 5);
    Tensor u0 = one.u.copy();
    Options single = options(h, 1);
    single.asMap().put("lipschitz", 1 + lambda);
    TestFlows.solve(new ImplicitEuler(), one, single, new TestFlows.Recorder());
    double[] v = one.evaluate(true).velocity().get("u").toDoubleArray();
    double[] difference = one.u.sub(u0).scalei(1 / h).toDoubleArray();
    assertThat(TestFlows.relativeError(difference, v)).isLessThan(1e-7);

    TestFlows.LogCosh flow = new TestFlows.LogCosh(backend, 10, lambda, 5);
    Options options = options(h, 30);
    options.asMap().put("lipschitz", 1 + lambda);
    TestFlows.Recorder recorder = new TestFlows.Recorder();
    SolveResult result = TestFlows.solve(new ImplicitEuler(), flow, options, recorder);
    double[] e = recorder.energies();
    double last = e[e.length - 1];
    assertDecreasesEveryStep(e, last);
    assertThat(e[1]).isLessThan(e[0] - 1); // a large first step, not a crawl
    // the end point is stationary: |∇E| is tiny
    assertThat(Math.sqrt(flow.evaluate(true).velocity().get("u").squaredNorm())).isLessThan(1e-7);
    assertThat(result.diagnostics().get("linear")).isEqualTo(false);
    assertThat(result.diagnostics().get("inner_unconverged")).isEqualTo(0L);
  }

  /**
   * A state tensor without a velocity entry is frozen: implicit Euler's inner iteration leaves c of the log-cosh energy as
   * it was and moves u exactly as when c is not in the state.
   */
  @ParameterizedTest
  @FieldSource("org.varflow.solvers.TestFlows#BACKENDS")
  void implicitEulerLeavesAFrozenStateTensorAsItIs(String backend) {
    TestFlows.LogCosh plain = new TestFlows.LogCosh(backend, 10, 0.1, 5);
    TestFlows.LogCosh frozen = new TestFlows.LogCosh(backend, 10, 0.1, 5, true);
    double[] c = frozen.c.toDoubleArray();
    for (TestFlows.LogCosh flow : List.of(plain, frozen)) {
      Options options = options(50, 5);
      options.asMap().put("lipschitz", 1.1);
      TestFlows.solve(new ImplicitEuler(), flow, options, new TestFlows.Recorder());
    }
    assertThat(frozen.c.toDoubleArray()).containsExactly(c);
    assertThat(frozen.u.toDoubleArray()).containsExactly(plain.u.toDoubleArray());
  }

  /** {@code time} instead of {@code steps} plans ⌈time/h⌉ steps, as for explicit Euler. */
  @ParameterizedTest
  @FieldSource("org.varflow.solvers.TestFlows#BACKENDS")
  void implicitEulerPlansStepsFromTime(String backend) {
    Options options = Options.empty("solver");
    options.asMap().put("step", 0.3);
    options.asMap().put("time", 3.0);
    TestFlows.Recorder recorder = new TestFlows.Recorder();
    SolveResult result = TestFlows.solve(new ImplicitEuler(), new TestFlows.Quadratic(backend, 4, 1, 2, 3, true), options,
        recorder);
    assertThat(recorder.planned).isEqualTo(10);
    assertThat(result.steps()).isEqualTo(10);
    assertThat(recorder.records).extracting(StepRecord::step).containsExactly(0L, 10L);
  }

  /**
   * E_{k+1} &lt; E_k at every step while E_k is above {@code floor} by more than rounding, and never
   * above E_k by more than rounding afterwards.
   */
  private static void assertDecreasesEveryStep(double[] e, double floor) {
    double rounding = 1e-12 * Math.max(1, Math.abs(floor));
    for (int i = 1; i < e.length; i++) {
      if (e[i - 1] - floor > 100 * rounding) {
        assertThat(e[i]).as("energy at step %d", i).isLessThan(e[i - 1]);
      } else {
        assertThat(e[i]).as("energy at step %d", i).isLessThanOrEqualTo(e[i - 1] + rounding);
      }
    }
  }

  private static double slope(List<double[]> points) {
    double mt = points.stream().mapToDouble(p -> p[0]).average().orElseThrow();
    double my = points.stream().mapToDouble(p -> p[1]).average().orElseThrow();
    double num = 0;
    double den = 0;
    for (double[] p : points) {
      num += (p[0] - mt) * (p[1] - my);
      den += (p[0] - mt) * (p[0] - mt);
    }
    return num / den;
  }
}
