package org.varflow.dynamics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.problem.WeightDecay;
import org.varflow.api.solve.Solver;

/**
 * Explicit Euler is first order and Heun second order in h at a fixed horizon T = 1 on the particle flow of a tanh
 * network: the least-squares slope of log ‖θ_h(T) − θ*(T)‖ against log h over h = 0.2 … 0.025, θ* from Heun at
 * h = 0.2/256, is 1 ± 0.1 and 2 ± 0.2.
 */
class OrderTest {
  private static final VariationalProblem PROBLEM = Flows.problem(40, new WeightDecay(0.01));
  private static final double[] STEPS = {0.2, 0.1, 0.05, 0.025};

  @ParameterizedTest
  @FieldSource("org.varflow.dynamics.Flows#BACKENDS")
  void eulerIsFirstOrderAndHeunSecondOrder(String backend) {
    double[] reference = finalState(backend, new Heun(), 0.2 / 256);
    assertThat(slope(backend, Flows.REGISTRY.solver("explicit-euler"), reference)).isBetween(0.9, 1.1);
    assertThat(slope(backend, new Heun(), reference)).isBetween(1.8, 2.2);
  }

  private static double slope(String backend, Solver solver, double[] reference) {
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (double h : STEPS) {
      double[] theta = finalState(backend, solver, h);
      double error = 0;
      for (int i = 0; i < theta.length; i++) {
        error += (theta[i] - reference[i]) * (theta[i] - reference[i]);
      }
      double x = Math.log(h), y = 0.5 * Math.log(error);
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    int k = STEPS.length;
    double slope = (k * sxy - sx * sy) / (k * sxx - sx * sx);
    System.out.printf("%s on %s: order %.3f%n", solver.id(), backend, slope);
    return slope;
  }

  /** @return (a, W) at T = 1 from the same initial particles */
  private static double[] finalState(String backend, Solver solver, double h) {
    try (DiscreteFlow flow = Flows.particles(backend, PROBLEM, 8, 5)) {
      Flows.solve(solver, flow, PROBLEM, Map.of("step", h, "time", 1.0, "record_every", 1_000_000L),
          new Flows.Recorder());
      Map<String, double[]> state = Flows.state(flow);
      double[] a = state.get("a");
      double[] w = state.get("W");
      double[] all = java.util.Arrays.copyOf(a, a.length + w.length);
      System.arraycopy(w, 0, all, a.length, w.length);
      return all;
    }
  }
}
