package org.varflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.varflow.api.io.Npy;

/**
 * Runs of the flow discretizations through the runtime: each time solver applies to them as it is, the parameters and
 * the checkpoint hold a and W of logical shape (L, M, D), an interrupted run resumes to the numbers of one never
 * stopped, and {@code check} states the geometry the flow declares.
 */
class FlowRunTest {
  private static final Varflow VARFLOW = Varflow.load(null);
  private static final int DEPTH = 4;
  private static final int WIDTH = 6;
  private static final int DIM = 10;

  @TempDir
  Path tmp;

  /** The quickstart's data (n = 64) with the tanh flow model in R^10, L = 4 layers of M = 6 particles, Heun in depth. */
  private static Spec spec(String discretization, String solver, String backend) {
    Map<String, Object> solverNode = new LinkedHashMap<>(Map.of("kind", solver, "step", 0.05, "steps", 40,
        "record_every", 5, "checkpoint_every", 7));
    List<Map<String, Object>> regularizers = List.of(Map.of("kind", "weight-decay", "strength", 1e-3));
    switch (solver) {
      case "sgd" -> solverNode.put("batch", 16);
      case "sav" -> solverNode.put("step", 0.5);
      case "langevin" -> regularizers = List.of(regularizers.get(0), Map.of("kind", "entropy", "temperature", 1e-6));
      default -> { }
    }
    return Spec.quickstart().with("backend", backend).with("data.train.n", 64).with("data.test.n", 32)
        .with("model", Map.of("kind", "flow", "activation", "tanh", "dim", DIM))
        .with("regularizers", regularizers)
        .with("discretization", Map.of("kind", discretization, "depth", DEPTH, "width", WIDTH, "depth_scheme", "heun"))
        .with("solver", solverNode);
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({"resnet, explicit-euler, jvm", "resnet, explicit-euler, nd4j-cpu", "resnet, implicit-euler, jvm",
      "resnet, heun, jvm", "resnet, sav, jvm", "resnet, sgd, jvm", "resnet, langevin, jvm",
      "flow-random-features, explicit-euler, nd4j-cpu", "flow-random-features, implicit-euler, jvm",
      "flow-random-features, sav, jvm", "flow-random-features, sgd, nd4j-cpu", "flow-random-features, langevin, jvm"})
  void everySolverTrainsAndResumesBitForBit(String discretization, String solver, String backend) throws Exception {
    RunResult whole;
    try (Run run = VARFLOW.prepare(spec(discretization, solver, backend))) {
      assertThat(run.check().rows().get("geometry")).asString().startsWith("L² over the layer-indexed");
      whole = run.execute(tmp.resolve("whole"), RunListener.NONE);
    }
    assertThat(whole.status()).isEqualTo("completed");
    double first = (Double) whole.history().get(0).get("energy");
    double last = (Double) whole.history().get(whole.history().size() - 1).get("energy");
    assertThat(last).as("energy after 40 steps of %s", solver).isLessThan(first);
    assertThat(whole.shape("a")).containsExactly(DEPTH, WIDTH, DIM);
    assertThat(whole.shape("W")).containsExactly(DEPTH, WIDTH, DIM);
    assertThat(whole.shape("V")).containsExactly(DIM, DIM);
    assertThat(Npy.read(tmp.resolve("whole/params/a.npy")).shape()).containsExactly(DEPTH, WIDTH, DIM);

    Path dir = tmp.resolve("stopped");
    try (Run run = VARFLOW.prepare(spec(discretization, solver, backend))) {
      RunResult stopped = run.execute(dir, new RunListener() {
        @Override
        public void onStep(long step) {
          if (step == 17) {
            run.interrupt();
          }
        }
      });
      assertThat(stopped.status()).isEqualTo("interrupted");
    }
    assertThat(Npy.read(dir.resolve("checkpoint/state/a.npy")).shape()).containsExactly(DEPTH, WIDTH, DIM);
    RunResult resumed;
    try (Run run = VARFLOW.prepare(Spec.load(dir.resolve("spec.yaml")))) {
      resumed = run.resume(dir, RunListener.NONE);
    }
    assertThat(resumed.status()).isEqualTo("completed");
    for (String name : List.of("a", "W", "V")) {
      assertThat(resumed.parameters().get(name)).as(name).isEqualTo(whole.parameters().get(name));
    }
    assertThat(resumed.history()).hasSameSizeAs(whole.history());
    for (int i = 0; i < whole.history().size(); i++) {
      for (String c : List.of("step", "energy", "train_risk", "test_risk")) {
        assertThat(resumed.history().get(i).get(c)).as("row %d %s", i, c).isEqualTo(whole.history().get(i).get(c));
      }
    }
  }
}
