package org.varflow.solvers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.varflow.api.Options;
import org.varflow.api.SpecException;
import org.varflow.api.solve.DivergenceException;
import org.varflow.api.solve.SolveResult;

/** The stationary solver against the exact A⁻¹b of a matrix with known spectrum, on every backend. */
class StationaryTest {

  static Stream<Arguments> backendsAndMethods() {
    return TestFlows.BACKENDS.stream().flatMap(b -> Stream.of(Arguments.of(b, "cholesky"), Arguments.of(b, "cg")));
  }

  /** Both methods reach a relative residual of 1e-10 and the reference solution; step 1 is at t = +∞. */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("backendsAndMethods")
  void solvesToTheReferenceSolution(String backend, String method) {
    TestFlows.Quadratic flow = new TestFlows.Quadratic(backend, 60, 0.01, 10, 7, true);
    Options options = Options.empty("solver");
    options.asMap().put("method", method);
    TestFlows.Recorder recorder = new TestFlows.Recorder();

    SolveResult result = TestFlows.solve(new Stationary(), flow, options, recorder);

    assertThat((Double) result.diagnostics().get("residual")).isLessThanOrEqualTo(1e-10);
    assertThat(result.diagnostics().get("method")).isEqualTo(method.equals("cholesky") ? "cholesky" : "cg");
    assertThat(result.diagnostics().get("converged")).isEqualTo(true);
    assertThat(TestFlows.relativeError(flow.u.toDoubleArray(), flow.solution())).isLessThan(1e-8);
    assertThat(result.steps()).isEqualTo(1);
    assertThat(result.time()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(result.stoppedByObserver()).isFalse();
    assertThat(recorder.planned).isEqualTo(1);
    assertThat(recorder.lastStep).isEqualTo(1);
    assertThat(recorder.records).hasSize(2);
    assertThat(recorder.records.get(0).step()).isZero();
    assertThat(recorder.records.get(0).evaluation().energy())
        .isCloseTo(energy(flow, flow.u0), within(1e-12 * Math.abs(flow.minimum())));
    assertThat(recorder.records.get(1).time()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(recorder.records.get(1).evaluation().energy())
        .isCloseTo(flow.minimum(), within(1e-10 * Math.abs(flow.minimum())));
    if (method.equals("cg")) {
      // CG on 60 distinct eigenvalues needs at most about 60 products in exact arithmetic
      assertThat((Long) result.diagnostics().get("iterations")).isBetween(10L, 120L);
    } else {
      assertThat(result.diagnostics().get("iterations")).isEqualTo(1L);
    }
  }

  /** {@code auto} picks Cholesky up to {@code cholesky_max} unknowns and CG above; defaults are written back. */
  @ParameterizedTest
  @FieldSource("org.varflow.solvers.TestFlows#BACKENDS")
  void autoChoosesByTheNumberOfUnknowns(String backend) {
    Options small = Options.empty("solver");
    SolveResult direct = TestFlows.solve(new Stationary(), new TestFlows.Quadratic(backend, 30, 0.1, 3, 1, true), small,
        new TestFlows.Recorder());
    assertThat(direct.diagnostics().get("method")).isEqualTo("cholesky");
    assertThat(small.asMap()).containsEntry("method", "auto").containsEntry("cholesky_max", 4000L)
        .containsEntry("tolerance", 1e-10).containsEntry("max_iterations", 300L);

    Options large = Options.empty("solver");
    large.asMap().put("cholesky_max", 29);
    TestFlows.Quadratic flow = new TestFlows.Quadratic(backend, 30, 0.1, 3, 1, true);
    SolveResult iterative = TestFlows.solve(new Stationary(), flow, large, new TestFlows.Recorder());
    assertThat(iterative.diagnostics().get("method")).isEqualTo("cg");
    assertThat(TestFlows.relativeError(flow.u.toDoubleArray(), flow.solution())).isLessThan(1e-9);
  }

  @Test
  void refusesAFlowWithoutLinearStructure() {
    TestFlows.Quadratic flow = new TestFlows.Quadratic("jvm", 5, 1, 2, 1, false);
    TestFlows.Recorder recorder = new TestFlows.Recorder();
    assertThatThrownBy(() -> TestFlows.solve(new Stationary(), flow, Options.empty("solver"), recorder))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("quadratic in one state tensor")
        .hasMessageContaining("explicit-euler")
        .extracting(e -> ((SpecException) e).key()).isEqualTo("solver.kind");
    assertThat(recorder.records).isEmpty();
  }

  /** An indefinite A fails Cholesky; a zero A (α = 0 with too few data) stops CG at pᵀAp = 0. */
  @ParameterizedTest
  @FieldSource("org.varflow.solvers.TestFlows#BACKENDS")
  void reportsAMatrixThatIsNotPositiveDefinite(String backend) {
    double[] indefinite = TestFlows.Quadratic.spread(8, -1, 2);
    Options cholesky = Options.empty("solver");
    cholesky.asMap().put("method", "cholesky");
    assertThatThrownBy(() -> TestFlows.solve(new Stationary(), new TestFlows.Quadratic(backend, 8, indefinite, 3, true), cholesky,
        new TestFlows.Recorder()))
        .isInstanceOf(DivergenceException.class)
        .hasMessageContaining("A is not positive definite")
        .hasMessageContaining("add Tikhonov regularization (strength > 0)");

    double[] zero = new double[8];
    Options cg = Options.empty("solver");
    cg.asMap().put("method", "cg");
    assertThatThrownBy(() -> TestFlows.solve(new Stationary(), new TestFlows.Quadratic(backend, 8, zero, 3, true), cg,
        new TestFlows.Recorder()))
        .isInstanceOf(DivergenceException.class)
        .hasMessageContaining("A is not positive definite");
  }

  @Test
  void isRegisteredAsAService() {
    assertThat(TestFlows.REGISTRY.solver("stationary")).isInstanceOf(Stationary.class);
    assertThat(TestFlows.REGISTRY.solver("implicit-euler")).isInstanceOf(ImplicitEuler.class);
    assertThat(TestFlows.REGISTRY.solver("explicit-euler")).isInstanceOf(ExplicitEuler.class);
  }

  /** @return ½ uᵀA u − bᵀu in plain Java */
  static double energy(TestFlows.Quadratic flow, double[] u) {
    double[] au = flow.spectral(m -> m, u);
    return 0.5 * TestFlows.dot(u, au) - TestFlows.dot(flow.b, u);
  }
}
