package org.varflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.varflow.api.tensor.Lifetime;
import org.varflow.api.tensor.Tensor;

/**
 * Every built-in discretization and solver follows the ownership rule of {@link Tensor}: once the first
 * steps have formed what a flow keeps (A, b), a step allocates exactly what it releases, so the count of
 * live tensors is the same after every later step — on both backends. A leak would grow it by at least one
 * per step; a double release or a use after release would throw. Closing the run releases everything its
 * flow allocated.
 */
class TensorLeakTest {
  private static final int STEPS = 12;
  private static final Varflow VARFLOW = Varflow.load(null);

  @ParameterizedTest(name = "{0} {1} {2} {3}")
  @CsvSource({
    "quickstart, particles, explicit-euler, jvm",
    "quickstart, particles, explicit-euler, nd4j-cpu",
    "quickstart, particles, implicit-euler, nd4j-cpu",
    "examples/random-features.yaml, random-features, implicit-euler, nd4j-cpu",
    "examples/random-features.yaml, random-features, explicit-euler, jvm",
    "examples/random-features.yaml, kernel, implicit-euler, nd4j-cpu",
    "examples/density.yaml, grid, implicit-euler, nd4j-cpu",
    "examples/density.yaml, spectral, explicit-euler, nd4j-cpu",
    "examples/density.yaml, spectral, implicit-euler, jvm"})
  void aStepReleasesWhatItAllocates(String spec, String discretization, String solver, String backend) throws Exception {
    long before = Lifetime.live();
    List<String> options = new ArrayList<>(List.of("solver.kind=" + solver, "solver.steps=" + STEPS,
        "solver.record_every=1", "solver.step=0.01"));
    if (solver.equals("implicit-euler")) {
      options.add("solver.max_inner=5");
    }
    List<Long> live = new ArrayList<>();
    try (Run run = prepare(spec, discretization, backend, options)) {
      // each record evaluates the test risk; the end reads the parameters
      run.execute(null, new RunListener() {
        @Override
        public void onStep(long step) {
          live.add(Lifetime.live());
        }
      });
    }
    assertThat(live).hasSize(STEPS);
    assertThat(live.subList(2, STEPS)).as("live tensors after steps 3..%d", STEPS).containsOnly(live.get(2));
    assertThat(Lifetime.live()).as("live tensors once the run is closed").isEqualTo(before);
  }

  /** A second stationary solve finds A and b formed and kept, and allocates no more than it releases. */
  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
    "examples/random-features.yaml, random-features, nd4j-cpu",
    "examples/random-features.yaml, kernel, jvm",
    "examples/density.yaml, grid, jvm",
    "examples/density.yaml, spectral, nd4j-cpu"})
  void aRepeatedStationarySolveLeavesNothingBehind(String spec, String discretization, String backend) throws Exception {
    try (Run run = prepare(spec, discretization, backend, List.of("solver.kind=stationary"))) {
      run.execute(null, RunListener.NONE);
      long after = Lifetime.live();
      run.execute(null, RunListener.NONE);
      assertThat(Lifetime.live()).isEqualTo(after);
    }
  }

  private static Run prepare(String spec, String discretization, String backend, List<String> more) {
    List<String> overrides = new ArrayList<>(List.of("backend=" + backend, "data.train.n=200", "data.test.n=100",
        "discretization={kind: " + discretization + "}"));
    overrides.add(switch (discretization) {
      case "particles", "random-features" -> "discretization.width=24";
      case "grid" -> "discretization.points=9";
      case "spectral" -> "discretization.degree=6";
      default -> "seed=1";
    });
    overrides.addAll(more);
    return VARFLOW.prepare(Spec.load(spec.equals("quickstart") ? null : ProjectRoot.resolve(spec), overrides));
  }
}
