package org.varflow.dynamics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.problem.Entropy;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.problem.WeightDecay;
import org.varflow.api.solve.Observer;
import org.varflow.api.solve.SolveContext;
import org.varflow.api.solve.Solver;
import org.varflow.api.solve.SolverState;
import org.varflow.api.solve.StepRecord;
import org.varflow.api.tensor.Tensor;

/**
 * Each solver of the module, continued from what a checkpoint holds after step K (the flow's state and the solver
 * state as they are when the observer hears of step K), ends with the state and the records of a solve never
 * stopped, bit for bit: noise and batches come from the run's seed, SAV's r from the solver state. It fails for
 * SAV when r is not put into the solver state.
 */
class ResumeTest {
  private static final VariationalProblem PROBLEM = Flows.problem(40, new WeightDecay(0.05),
      new EntropyKind.Term(0.01));
  private static final long STEPS = 30;
  private static final long K = 13;

  static List<Arguments> solvers() {
    return List.of(Arguments.of(new Heun(), Map.of()),
        Arguments.of(new StochasticGradient(), Map.of("batch", 6L)),
        Arguments.of(new StochasticGradient(), Map.of("batch", 6L, "replacement", true)),
        Arguments.of(new Langevin(), Map.of()),
        Arguments.of(new ScalarAuxiliaryVariable(), Map.of("lambda", 0.05, "variant", "plain")),
        Arguments.of(new ScalarAuxiliaryVariable(), Map.of("lambda", 0.05, "variant", "relaxed")));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("solvers")
  void aResumedSolveEqualsOneNeverStopped(Solver solver, Map<String, ?> extra) {
    Map<String, Object> options = new LinkedHashMap<>(extra);
    options.putAll(Map.of("step", 0.5, "steps", STEPS, "record_every", 3L));
    Checkpoint checkpoint = new Checkpoint();
    Flows.Recorder whole = new Flows.Recorder();
    Map<String, double[]> end;
    try (DiscreteFlow flow = Flows.particles("jvm", PROBLEM.without(Entropy.class::isInstance), 8, 5)) {
      SolverState state = new SolverState();
      solver.solve(new SolveContext(flow, Flows.options(solver, options), checkpoint.at(K, flow, state, whole),
          Optional.of(PROBLEM), 0, 7, state));
      end = Flows.state(flow);
    }
    Flows.Recorder resumed = new Flows.Recorder();
    try (DiscreteFlow flow = Flows.particles("jvm", PROBLEM.without(Entropy.class::isInstance), 8, 5)) {
      checkpoint.flow.forEach((name, values) -> {
        Tensor t = flow.state().get(name);
        Tensor saved = t.factory().of(t.precision(), values, t.shape());
        t.scalei(0).addi(saved);
        saved.release();
      });
      solver.solve(new SolveContext(flow, Flows.options(solver, options), resumed, Optional.of(PROBLEM), K, 7,
          SolverState.of(checkpoint.solver)));
      Flows.state(flow).forEach((name, theta) -> assertThat(theta).as(name).containsExactly(end.get(name)));
    }
    List<String> after = whole.records.stream().filter(r -> r.step() >= K).map(ResumeTest::row).toList();
    assertThat(resumed.records.stream().map(ResumeTest::row).toList()).isEqualTo(after);
  }

  private static String row(StepRecord r) {
    return r.step() + " " + r.evaluation().energy() + " " + r.columns();
  }

  /** Copies the flow's state and the solver state when the observer hears of step K, as a run's checkpoint does. */
  private static final class Checkpoint {
    Map<String, double[]> flow;
    Map<String, double[]> solver;

    Observer at(long k, DiscreteFlow particles, SolverState state, Flows.Recorder records) {
      return new Observer() {
        @Override
        public void onStart(long steps) {}

        @Override
        public void onStep(long step) {
          if (step == k) {
            flow = Flows.state(particles);
            solver = state.values();
          }
        }

        @Override
        public boolean onRecord(StepRecord record) {
          return records.onRecord(record);
        }
      };
    }
  }
}
