package org.varflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.varflow.api.SpecException;

/**
 * The embedding API of interruption: {@link Run#interrupt()} from a listener stops the run after a step with its
 * parameters and a checkpoint; {@link Run#resume} on a run prepared from the directory's spec.yaml continues it to
 * the numbers of a run never stopped — for both time steppers on both backends, and for implicit Euler on every
 * discretization (grid, spectral, kernel, particles).
 */
class ResumeTest {
  private static final Varflow VARFLOW = Varflow.load(null);

  @TempDir
  Path tmp;

  private static Spec spec(String solver, String backend) {
    return Spec.load(ProjectRoot.resolve("examples/random-features.yaml")).with("backend", backend)
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

  /**
   * A small implicit-Euler run of each discretization: grid and spectral (examples/density.yaml), kernel
   * (examples/random-features.yaml) and particles (the quickstart), 40 steps of h = 1 with a checkpoint every 7.
   */
  private static Spec implicitSpec(String discretization, String backend) {
    Spec spec = switch (discretization) {
      case "grid" -> Spec.load(ProjectRoot.resolve("examples/density.yaml")).with("data.train.n", 100)
          .with("discretization", Map.of("kind", "grid", "points", 9));
      case "spectral" -> Spec.load(ProjectRoot.resolve("examples/density.yaml")).with("data.train.n", 100)
          .with("discretization", Map.of("kind", "spectral", "degree", 5));
      case "kernel" -> Spec.load(ProjectRoot.resolve("examples/random-features.yaml")).with("data.train.n", 100)
          .with("data.test.n", 100).with("discretization", Map.of("kind", "kernel"));
      case "particles" -> Spec.quickstart().with("data.train.n", 100).with("data.test.n", 100)
          .with("discretization.width", 16).with("solver.max_inner", 100);
      default -> throw new IllegalArgumentException(discretization);
    };
    return spec.with("backend", backend).with("solver.kind", "implicit-euler").with("solver.step", 1.0)
        .with("solver.steps", 40).with("solver.record_every", 5).with("solver.checkpoint_every", 7);
  }

  /**
   * Implicit Euler on every discretization, interrupted at step 17 (three steps after the checkpoint at 14, which the
   * resume recomputes), resumes to a run never stopped: every parameter and every recorded number, bit for bit. The
   * state moves meanwhile (every parameter of the run differs from its start by more than 10⁻³ relative), so that a
   * resume that restored a parameter from the seed instead of the checkpoint — the particles' moving W — would show.
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"grid, jvm", "grid, nd4j-cpu", "spectral, jvm", "kernel, nd4j-cpu", "particles, jvm",
      "particles, nd4j-cpu"})
  void anInterruptedImplicitEulerRunOfEachDiscretizationResumesToTheSameNumbers(String discretization, String backend)
      throws Exception {
    Spec spec = implicitSpec(discretization, backend);
    Map<String, double[]> start = new LinkedHashMap<>();
    RunResult whole;
    try (Run run = VARFLOW.prepare(spec)) {
      run.flow().parameters().forEach((name, t) -> {
        start.put(name, t.toDoubleArray());
        t.release();
      });
      whole = run.execute(tmp.resolve("whole"), RunListener.NONE);
    }
    assertThat(whole.status()).isEqualTo("completed");
    assertThat(whole.parameters().keySet()).isEqualTo(start.keySet());
    whole.parameters().forEach((name, end) -> {
      double moved = 0;
      double norm = 0;
      for (int i = 0; i < end.length; i++) {
        moved += (end[i] - start.get(name)[i]) * (end[i] - start.get(name)[i]);
        norm += end[i] * end[i];
      }
      assertThat(Math.sqrt(moved / norm)).as("%s moved", name).isGreaterThan(1e-3);
    });
    Path dir = tmp.resolve("stopped");
    interruptAt(spec, dir, 17);
    RunResult resumed;
    try (Run run = VARFLOW.prepare(RunDirectory.spec(dir))) {
      resumed = run.resume(dir, RunListener.NONE);
    }
    assertThat(resumed.status()).isEqualTo("completed");
    assertThat(resumed.parameters().keySet()).isEqualTo(whole.parameters().keySet());
    whole.parameters().forEach((name, values) -> assertThat(resumed.parameters().get(name)).as(name)
        .containsExactly(values));
    List<String> columns = List.of("step", "time", "energy", "train_risk", "test_risk");
    assertThat(resumed.history()).hasSameSizeAs(whole.history()).hasSize(9);
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
    try (Run run = VARFLOW.prepare(Spec.load(ProjectRoot.resolve("examples/random-features.yaml"))
        .with("discretization.width", 20).with("data.train.n", 50).with("backend", "jvm"))) {
      assertThatThrownBy(() -> run.resume(dir, RunListener.NONE)).isInstanceOf(SpecException.class)
          .hasMessage(dir + ": holds no checkpoint to resume from (solver '" + solver + "' writes none, or the run"
              + " stopped before its first one)");
    }
  }

  /** Resuming continues the computation that was started: a changed key or data file is refused naming it. */
  @Test
  void aResumedRunIsPinnedToItsSpecAndData() throws Exception {
    Path csv = tmp.resolve("train.csv");
    StringBuilder rows = new StringBuilder("x,y\n");
    for (int i = 0; i < 40; i++) {
      rows.append(i / 40.0).append(',').append(Math.sin(3 * i / 40.0)).append('\n');
    }
    Files.writeString(csv, rows);
    Spec spec = spec("explicit-euler", "jvm").with("data", Map.of("train", Map.of("csv", csv.toString(), "target", "y")));
    Path dir = tmp.resolve("run");
    interruptAt(spec, dir, 50);
    Path specYaml = dir.resolve("spec.yaml");
    String asRun = Files.readString(specYaml);
    for (String[] edit : new String[][] {{"step: 0.5", "step: 0.25", "solver.step", "changed from 0.5 to 0.25"},
        {"seed: 3", "seed: 4", "seed", "changed from 3 to 4"},
        {"precision: float64", "precision: float32", "precision", "changed from float64 to float32"}}) {
      assertThat(asRun).contains(edit[0]);
      Files.writeString(specYaml, asRun.replace(edit[0], edit[1]));
      try (Run run = VARFLOW.prepare(RunDirectory.spec(dir))) {
        assertThatThrownBy(() -> run.resume(dir, RunListener.NONE)).isInstanceOf(SpecException.class)
            .hasMessage(specYaml + ": " + edit[2] + ": " + edit[3] + "; a resumed run continues the computation it"
                + " started: start a new run for this one");
      }
    }
    Files.writeString(specYaml, asRun);
    Files.writeString(csv, rows.toString().replace("0.0,0.0", "0.0,0.5"));
    try (Run run = VARFLOW.prepare(RunDirectory.spec(dir))) {
      assertThatThrownBy(() -> run.resume(dir, RunListener.NONE)).isInstanceOf(SpecException.class)
          .hasMessage(specYaml + ": data.train.csv: names " + csv + ", whose content changed since the run started; a"
              + " resumed run continues the computation it started: start a new run for this one");
    }
    Files.writeString(csv, rows);
    Files.writeString(specYaml, asRun.replace("checkpoint_every: 7", "checkpoint_every: 9"));
    try (Run run = VARFLOW.prepare(RunDirectory.spec(dir))) {
      assertThat(run.resume(dir, RunListener.NONE).status()).as("checkpoints do not change the numbers")
          .isEqualTo("completed");
      assertThatThrownBy(() -> run.resume(dir, RunListener.NONE)).isInstanceOf(SpecException.class)
          .hasMessage(dir + ": the run is complete (status completed): nothing to resume");
    }
  }

  /**
   * A stationary solve interrupted while it solves finishes it and records its last row; with nothing after the solve
   * the run is complete, and with plots to draw it stops before them and resumes past the solve.
   */
  @Test
  void anInterruptedStationarySolveFinishes() throws Exception {
    Spec features = Spec.load(ProjectRoot.resolve("examples/random-features.yaml")).with("backend", "jvm")
        .with("discretization.width", 20).with("data.train.n", 50);
    try (Run run = VARFLOW.prepare(features)) {
      RunResult result = run.execute(tmp.resolve("features"), interrupting(run));
      assertThat(result.status()).isEqualTo("completed");
      assertThat(result.history()).hasSize(2);
    }
    Spec density = Spec.load(ProjectRoot.resolve("examples/density.yaml")).with("backend", "jvm").with("discretization.points", 9);
    Path dir = tmp.resolve("density");
    try (Run run = VARFLOW.prepare(density)) {
      RunResult result = run.execute(dir, interrupting(run));
      assertThat(result.status()).isEqualTo("interrupted");
      assertThat(result.interruption()).contains("interrupted after the solve (1 steps), before the plots were drawn");
      assertThat(result.resumable()).isTrue();
      assertThat(result.history()).hasSize(2);
      assertThat(result.plots()).isEmpty();
    }
    try (Run run = VARFLOW.prepare(RunDirectory.spec(dir))) {
      RunResult result = run.resume(dir, RunListener.NONE);
      assertThat(result.status()).isEqualTo("completed");
      assertThat(result.history()).hasSize(2);
      assertThat(result.plots()).isNotEmpty();
    }
  }

  /** @return a listener that interrupts {@code run} as its solve starts */
  private static RunListener interrupting(Run run) {
    return new RunListener() {
      @Override
      public void onStart(long plannedSteps) {
        run.interrupt();
      }
    };
  }

  /**
   * A density run interrupted in the training of its exported network keeps the summary (interrupted) and the
   * training's checkpoint; resumed, it ends with the history, parameters and plots of a run never stopped.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"jvm", "nd4j-cpu"})
  void aDensityRunInterruptedInItsNetworkTrainingResumes(String backend) throws Exception {
    Spec spec = Spec.load(ProjectRoot.resolve("examples/density-circle.yaml")).with("backend", backend)
        .with("discretization.degree", 4).with("data.train.n", 100).with("data.test.n", 100)
        .with("export", Map.of("network_width", 30, "train", Map.of("steps", 300)))
        .with("solver.kind", "stationary");
    RunResult whole;
    try (Run run = VARFLOW.prepare(spec)) {
      whole = run.execute(tmp.resolve("whole"), RunListener.NONE);
    }
    assertThat(whole.plots()).isNotEmpty();
    Path dir = tmp.resolve("stopped");
    try (Run run = VARFLOW.prepare(spec)) {
      RunResult stopped = run.execute(dir, new RunListener() {
        @Override
        public void onStep(long step) {
          if (step == 120) { // the nested training's steps: the stationary solve takes one
            run.interrupt();
          }
        }
      });
      assertThat(stopped.status()).isEqualTo("interrupted");
      assertThat(stopped.resumable()).isTrue();
      assertThat(stopped.plots()).isEmpty();
    }
    assertThat(Files.readString(dir.resolve("summary.json"))).contains("\"status\" : \"interrupted\"")
        .contains("\"message\" : \"interrupted after the solve (1 steps), in the training of the exported network; the"
            + " run continues from there when resumed\"");
    assertThat(Files.readString(dir.resolve("network/summary.json"))).contains("\"status\" : \"interrupted\"");
    assertThat(dir.resolve("plots")).doesNotExist();
    RunResult resumed;
    try (Run run = VARFLOW.prepare(RunDirectory.spec(dir))) {
      resumed = run.resume(dir, RunListener.NONE);
    }
    assertThat(resumed.status()).isEqualTo("completed");
    for (String file : List.of("params/u.npy", "params/network/a.npy", "network/params/a.npy", "network/params/W.npy")) {
      assertThat(Files.readAllBytes(dir.resolve(file))).as(file).isEqualTo(Files.readAllBytes(tmp.resolve("whole")
          .resolve(file)));
    }
    assertThat(withoutWallTime(dir.resolve("network/history.csv")))
        .isEqualTo(withoutWallTime(tmp.resolve("whole/network/history.csv")));
    assertThat(withoutWallTime(dir.resolve("history.csv"))).isEqualTo(withoutWallTime(tmp.resolve("whole/history.csv")));
    assertThat(resumed.plots()).hasSameSizeAs(whole.plots());
    assertThat(dir.resolve("checkpoint")).doesNotExist();
    assertThat(dir.resolve("network/checkpoint")).doesNotExist();
  }

  private static void interruptAt(Spec spec, Path dir, long step) throws Exception {
    try (Run run = VARFLOW.prepare(spec)) {
      RunResult stopped = run.execute(dir, new RunListener() {
        @Override
        public void onStep(long k) {
          if (k == step) {
            run.interrupt();
          }
        }
      });
      assertThat(stopped.status()).isEqualTo("interrupted");
    }
  }

  private static List<String> withoutWallTime(Path history) throws Exception {
    return Files.readAllLines(history).stream().map(line -> line.substring(0, line.lastIndexOf(','))).toList();
  }
}
