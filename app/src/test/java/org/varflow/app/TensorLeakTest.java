package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.solve.Observer;
import org.varflow.api.solve.StepRecord;
import org.varflow.api.tensor.Lifetime;
import org.varflow.api.tensor.Tensor;
import org.varflow.app.plugins.Plugins;
import org.varflow.app.run.RunPlan;
import org.varflow.app.spec.SpecLoader;

/**
 * Every built-in discretization and solver follows the ownership rule of {@link Tensor}: once the first
 * steps have formed what a flow keeps (A, b), a step allocates exactly what it releases, so the count of
 * live tensors is the same after every later step — on both backends. A leak would grow it by at least one
 * per step; a double release or a use after release would throw. Closing the flow releases everything it
 * allocated.
 */
class TensorLeakTest {
  private static final int STEPS = 12;

  @ParameterizedTest(name = "{0} {1} {2} {3}")
  @CsvSource({
    "quickstart, particles, explicit-euler, jvm",
    "quickstart, particles, explicit-euler, nd4j-cpu",
    "quickstart, particles, implicit-euler, nd4j-cpu",
    "../examples/random-features.yaml, random-features, implicit-euler, nd4j-cpu",
    "../examples/random-features.yaml, random-features, explicit-euler, jvm",
    "../examples/random-features.yaml, kernel, implicit-euler, nd4j-cpu",
    "../examples/density.yaml, grid, implicit-euler, nd4j-cpu",
    "../examples/density.yaml, spectral, explicit-euler, nd4j-cpu",
    "../examples/density.yaml, spectral, implicit-euler, jvm"})
  void aStepReleasesWhatItAllocates(String spec, String discretization, String solver, String backend) {
    long before = Lifetime.live();
    List<String> options = new ArrayList<>(List.of("solver.kind=" + solver, "solver.steps=" + STEPS,
        "solver.record_every=1", "solver.step=0.01"));
    if (solver.equals("implicit-euler")) {
      options.add("solver.max_inner=5");
    }
    RunPlan plan = plan(spec, discretization, backend, options.toArray(String[]::new));
    List<Long> live = new ArrayList<>();
    plan.solver().solve(plan.flow(), plan.solverOptions(), new Observer() {
      @Override
      public void onStep(long step) {
        live.add(Lifetime.live());
      }

      @Override
      public boolean onRecord(StepRecord record) {
        DiscreteFlow flow = plan.flow();
        flow.risk(plan.problem().train()); // what a run records at every row
        Map<String, Tensor> params = flow.parameters();
        params.values().forEach(Tensor::release);
        return true;
      }
    });
    assertThat(live).hasSize(STEPS);
    assertThat(live.subList(2, STEPS)).as("live tensors after steps 3..%d", STEPS).containsOnly(live.get(2));
    plan.flow().close();
    assertThat(Lifetime.live()).as("live tensors once the flow is closed").isEqualTo(before);
  }

  /** A second stationary solve finds A and b formed and kept, and allocates no more than it releases. */
  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
    "../examples/random-features.yaml, random-features, nd4j-cpu",
    "../examples/random-features.yaml, kernel, jvm",
    "../examples/density.yaml, grid, jvm",
    "../examples/density.yaml, spectral, nd4j-cpu"})
  void aRepeatedStationarySolveLeavesNothingBehind(String spec, String discretization, String backend) {
    RunPlan plan = plan(spec, discretization, backend, "solver.kind=stationary");
    plan.solver().solve(plan.flow(), plan.solverOptions(), record -> true);
    long after = Lifetime.live();
    plan.solver().solve(plan.flow(), plan.solverOptions(), record -> true);
    assertThat(Lifetime.live()).isEqualTo(after);
    plan.flow().close();
  }

  private static RunPlan plan(String spec, String discretization, String backend, String... more) {
    List<String> overrides = new ArrayList<>(List.of("backend=" + backend, "data.train.n=200", "data.test.n=100",
        "discretization={kind: " + discretization + "}"));
    overrides.add(switch (discretization) {
      case "particles", "random-features" -> "discretization.width=24";
      case "grid" -> "discretization.points=9";
      case "spectral" -> "discretization.degree=6";
      default -> "seed=1";
    });
    overrides.addAll(Arrays.asList(more));
    return RunPlan.prepare(SpecLoader.load(spec.equals("quickstart") ? null : Path.of(spec), overrides),
        new Plugins().registry());
  }
}
