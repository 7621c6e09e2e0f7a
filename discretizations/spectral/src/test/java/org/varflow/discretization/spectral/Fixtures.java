package org.varflow.discretization.spectral;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.discretization.testkit.DensityFixtures;

/** The shared density fixtures, bound to the {@code spectral} plugin (size option {@code degree}, state {@code c}). */
final class Fixtures extends DensityFixtures {
  private Fixtures() {}

  /** Discretizes through the registry with {@code degree} and the given extra options. */
  static DiscreteFlow flow(VariationalProblem problem, String backend, long seed, int degree, Map<String, Object> extra) {
    return flow("spectral", "degree", problem, backend, seed, degree, extra);
  }

  /** A flow started from c ~ N(0, scale²). */
  static DiscreteFlow gaussianFlow(VariationalProblem problem, String backend, long seed, int degree, double scale) {
    return flow(problem, backend, seed, degree, gaussianInit(scale));
  }

  /** c ← values. */
  static void set(DiscreteFlow flow, double[] values) {
    set(flow, "c", values);
  }

  /**
   * Asserts convergence faster than any power of P: log e_P close to linear in P (semilog fit slope &lt; 0,
   * R² ≥ 0.95) and the log–log slope steepening from each pair of degrees to the next, where an algebraic
   * rate C P^{−p} would keep it at −p.
   */
  static void assertFasterThanAnyPower(String label, int[] degrees, double[] errors) {
    double[] p = Arrays.stream(degrees).asDoubleStream().toArray();
    double[] logE = Arrays.stream(errors).map(Math::log).toArray();
    double semilog = slope(p, logE);
    double r2 = rSquared(p, logE);
    double[] logLog = new double[degrees.length - 1];
    for (int i = 0; i < logLog.length; i++) {
      logLog[i] = (logE[i + 1] - logE[i]) / Math.log(p[i + 1] / p[i]);
    }
    System.out.printf("%s P = %s: errors %s; d log e/dP = %.3f (R² = %.4f), log–log slopes %s%n", label,
        Arrays.toString(degrees), Arrays.toString(errors), semilog, r2, Arrays.toString(logLog));
    assertThat(semilog).isNegative();
    assertThat(r2).isGreaterThanOrEqualTo(0.95);
    for (int i = 1; i < logLog.length; i++) {
      assertThat(logLog[i]).as("%s: log–log slope %d", label, i).isLessThan(logLog[i - 1]);
    }
  }
}
