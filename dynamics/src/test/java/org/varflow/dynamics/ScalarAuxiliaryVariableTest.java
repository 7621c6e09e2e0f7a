package org.varflow.dynamics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.problem.WeightDecay;
import org.varflow.api.solve.DivergenceException;
import org.varflow.api.solve.StepRecord;

/**
 * At a step where explicit Euler blows up (h = 40 on a tanh network whose stability limit is about 2/L ≈ 4), SAV's
 * modified energy ½⟨θ, Lθ⟩_G + r² never increases in the plain and the relaxed variant, and the energy stays finite.
 * (The restart variant resets r to √(I + C), which may raise the modified energy: it is not checked here.)
 */
class ScalarAuxiliaryVariableTest {
  private static final VariationalProblem PROBLEM = Flows.problem(40, new WeightDecay(0.05));
  private static final double H = 40;

  @ParameterizedTest
  @ValueSource(strings = {"plain", "relaxed"})
  void theModifiedEnergyNeverIncreasesWhereExplicitEulerDiverges(String variant) {
    try (DiscreteFlow flow = Flows.particles("jvm", PROBLEM, 16, 5)) {
      assertThatThrownBy(() -> Flows.solve(Flows.REGISTRY.solver("explicit-euler"), flow, PROBLEM,
          Map.of("step", H, "steps", 200L), new Flows.Recorder())).isInstanceOf(DivergenceException.class);
    }
    Flows.Recorder recorder = new Flows.Recorder();
    try (DiscreteFlow flow = Flows.particles("jvm", PROBLEM, 16, 5)) {
      Flows.solve(new ScalarAuxiliaryVariable(), flow, PROBLEM, Map.of("step", H, "steps", 200L, "record_every", 1L,
          "lambda", 0.05, "variant", variant), recorder);
    }
    List<Double> modified = recorder.records.stream().map(StepRecord::columns).map(c -> c.get("modified_energy"))
        .toList();
    assertThat(modified).hasSize(201);
    for (int k = 1; k < modified.size(); k++) {
      assertThat(modified.get(k)).as("step %d", k).isLessThanOrEqualTo(modified.get(k - 1) * (1 + 1e-12));
    }
    double first = recorder.records.get(0).evaluation().energy();
    double last = recorder.records.get(200).evaluation().energy();
    assertThat(last).isFinite();
    System.out.printf("sav %s at h = %.0f: energy %.4g → %.4g, modified energy %.4g → %.4g%n", variant, H, first, last,
        modified.get(0), modified.get(200));
  }
}
