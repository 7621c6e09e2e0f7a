package org.varflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.varflow.api.SpecException;

/**
 * The embedding API of interruption: {@link Run#interrupt()} from a listener stops the run after a step with its
 * parameters and a checkpoint; {@link Run#resume} on a run prepared from the directory's spec.yaml continues it to
 * the numbers of a run never stopped — for both time steppers on both backends.
 */
class ResumeTest {
  private static final Varflow VARFLOW = Varflow.load(null);

  @TempDir
  Path tmp;

  private static Spec spec(String solver, String backend) {
    return Spec.load(Path.of("../examples/random-features.yaml")).with("backend", backend)
        .with("discretization.width", 40).with("data.train.n", 100)
        .with("solver", Map.of("kind", solver, "step", 0.5, "steps", 300, "record_every", 20, "checkpoint_every", 7));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"explicit-euler, jvm", "explicit-euler, nd4j-cpu", "implicit-euler, jvm", "implicit-euler, nd4j-cpu"})
  void anInterruptedRunResumesToTheSameNumbers(String solver, String backend) throws Exception {
    RunResult whole;
    try (Run run = VARFLOW.prepare(spec(solver, backend))) {
      whole = run.execute(tmp.resolve("whole"), RunListener.NONE);
    }
    Path dir = tmp.resolve("stopped");
    try (Run run = VARFLOW.prepare(spec(solver, backend))) {
      RunResult stopped = run.execute(dir, new RunListener() {
        @Override
        public void onStep(long step) {
          if (step == 123) {
            run.interrupt();
          }
        }
      });
      assertThat(stopped.status()).isEqualTo("interrupted");
      assertThat(stopped.steps()).isEqualTo(123);
      assertThat(stopped.parameters()).containsKey("a");
    }
    RunResult resumed;
    try (Run run = VARFLOW.prepare(Spec.load(dir.resolve("spec.yaml")))) {
      resumed = run.resume(dir, RunListener.NONE);
    }
    assertThat(resumed.status()).isEqualTo("completed");
    assertThat(resumed.parameters().get("a")).isEqualTo(whole.parameters().get("a"));
    List<String> columns = List.of("step", "time", "energy", "train_risk", "test_risk");
    assertThat(resumed.history()).hasSameSizeAs(whole.history());
    for (int i = 0; i < whole.history().size(); i++) {
      for (String c : columns) {
        assertThat(resumed.history().get(i).get(c)).as("row %d %s", i, c).isEqualTo(whole.history().get(i).get(c));
      }
    }
    assertThat(dir.resolve("checkpoint")).doesNotExist();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"stationary"})
  void aRunWithoutCheckpointsCannotBeResumed(String solver) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("run"));
    try (Run run = VARFLOW.prepare(Spec.load(Path.of("../examples/random-features.yaml"))
        .with("discretization.width", 20).with("data.train.n", 50).with("backend", "jvm"))) {
      assertThatThrownBy(() -> run.resume(dir, RunListener.NONE)).isInstanceOf(SpecException.class)
          .hasMessage(dir + ": holds no checkpoint to resume from (solver '" + solver + "' writes none, or the run"
              + " stopped before its first one)");
    }
  }
}
