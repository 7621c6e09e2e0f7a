package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.varflow.api.io.Npy;

/**
 * A run killed outright (SIGKILL, nothing of it runs after) or stopped by SIGTERM or SIGINT in a separate JVM, then
 * continued with {@code varflow run --resume DIR}, ends with the history and parameters of a run that was never
 * stopped, bit for bit ({@code wall_ms} aside), on each backend and for both time steppers.
 */
class InterruptAndResumeTest {
  @TempDir
  Path tmp;

  /**
   * The quickstart's particles at a small size, with explicit Euler (8000 steps, a checkpoint every 250) or implicit
   * Euler (600 steps of h = 0.5, a checkpoint every 25, at most 5 inner iterations a step): either solve takes one to
   * two seconds in a fresh JVM, and the child is stopped at its first checkpoint, with more than 95% of the steps to
   * go: a second or more, against the few milliseconds between seeing the checkpoint and the signal.
   */
  private static String[] run(String backend, String solver, Path dir) {
    String steps = solver.equals("explicit-euler")
        ? "{kind: explicit-euler, step: 0.5, steps: 8000, record_every: 100, checkpoint_every: 250}"
        : "{kind: implicit-euler, step: 0.5, steps: 600, record_every: 25, checkpoint_every: 25, max_inner: 5,"
            + " lipschitz: 2}";
    return new String[] {"run", "--set", "backend=" + backend, "--set", "data.train.n=200", "--set", "data.test.n=100",
        "--set", "discretization.width=32", "--set", "solver=" + steps, "--out", dir.toString()};
  }

  private static long steps(String solver) {
    return solver.equals("explicit-euler") ? 8000 : 600;
  }

  /** The command line of {@code varflow} in a new JVM with 1 GB of heap. */
  private static List<String> varflow(String... args) {
    return ChildJvm.varflow("-Xmx1g", args);
  }

  /**
   * The child is stopped as soon as its first checkpoint is on disk, and is asserted to have been stopped before the
   * end of its solve: by the exit status (a child that finished exits 0), by the step of the checkpoint the resume
   * continues from and by the rows of its history, both short of the run's. The particles' W at that checkpoint is
   * still to move (it differs from the final W), and the resumed run ends on the final W of the run never stopped.
   */
  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({"jvm, KILL, explicit-euler", "jvm, TERM, explicit-euler", "nd4j-cpu, KILL, explicit-euler",
      "nd4j-cpu, TERM, explicit-euler", "jvm, INT, implicit-euler"})
  void aResumedRunEndsAsIfNeverStopped(String backend, String signal, String solver) throws Exception {
    long total = steps(solver);
    Path reference = tmp.resolve("reference");
    Cli whole = Cli.run(run(backend, solver, reference));
    assertThat(whole.exitCode()).as(whole.err()).isZero();
    assertThat(reference.resolve("checkpoint")).as("a completed run keeps no checkpoint").doesNotExist();

    Path dir = tmp.resolve("stopped");
    Process child = new ProcessBuilder(varflow(run(backend, solver, dir))).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("child.log").toFile()).start();
    long step = awaitCheckpoint(dir, 1, child);
    switch (signal) {
      case "KILL" -> child.destroyForcibly();
      case "TERM" -> child.destroy();
      default -> new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).start().waitFor();
    }
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String log = Files.readString(tmp.resolve("child.log"));
    int status = Map.of("KILL", 137, "TERM", 143, "INT", 130).get(signal);
    assertThat(child.exitValue()).as("stopped before the end: %s", log).isEqualTo(status);
    if (!signal.equals("KILL")) {
      assertThat(log).containsPattern("interrupted at step \\d+; parameters, a checkpoint and the summary are kept in "
          + dir.toString().replace("\\", "\\\\") + "; continue with: varflow run --resume ");
      JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
      assertThat(summary.get("status").asText()).isEqualTo("interrupted");
      assertThat(summary.get("steps").asLong()).isGreaterThanOrEqualTo(step).isLessThan(total);
      assertThat(dir.resolve("params/a.npy")).exists();
    }

    long from = checkpointStep(dir);
    assertThat(from).as("the checkpoint the resume continues from").isGreaterThanOrEqualTo(step).isLessThan(total);
    assertThat(withoutWallTime(dir)).as("history when stopped").hasSizeLessThan(withoutWallTime(reference).size());
    double[] movingW = checkpointState(dir, "W");
    double[] finalW = Npy.read(reference.resolve("params/W.npy")).data();
    double moved = 0;
    for (int i = 0; i < finalW.length; i++) {
      moved = Math.max(moved, Math.abs(finalW[i] - movingW[i]));
    }
    assertThat(moved).as("W still moves after the checkpoint at step %d", from).isGreaterThan(1e-3);

    Cli resumed = Cli.run("run", "--resume", dir.toString());
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(withoutWallTime(dir)).isEqualTo(withoutWallTime(reference));
    for (String param : List.of("a.npy", "W.npy")) {
      assertThat(Files.readAllBytes(dir.resolve("params").resolve(param))).as(param)
          .isEqualTo(Files.readAllBytes(reference.resolve("params").resolve(param)));
    }
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    assertThat(summary.get("status").asText()).isEqualTo("completed");
    assertThat(summary.get("final")).isEqualTo(summaryFinal(reference, summary));
    assertThat(summary.get("spec").asText()).as("the run's name, not spec.yaml's").isEqualTo("quickstart");
    assertThat(summary.at("/timings/ms_per_step").asDouble()).as("over the steps this process took")
        .isCloseTo(summary.at("/timings/solve_ms").asDouble() / (total - from), within(1e-9));
  }

  /**
   * A density run stopped by SIGINT in the training of its exported network: exit 130 at once, the summaries of the
   * run and of the training say interrupted, and no stack trace (the plots are not drawn during the JVM's shutdown).
   * While it runs, its directory is locked: a second resume, or a --force over it, is refused naming the process.
   * Resumed, it ends as a run never stopped; resumed again, it says it is complete.
   */
  @Test
  void aDensityRunInterruptedInItsNetworkTrainingKeepsItsSummaryAndResumes() throws Exception {
    String[] density = {"run", "../examples/density.yaml", "--set", "backend=jvm", "--set", "discretization.points=9",
        "--set", "export.network_width=20", "--set", "export.train.steps=8000"};
    Path reference = tmp.resolve("reference");
    Cli whole = Cli.run(RunCommandTest.args(density, "--out", reference.toString()));
    assertThat(whole.exitCode()).as(whole.err()).isZero();

    Path dir = tmp.resolve("stopped");
    Process child = new ProcessBuilder(varflow(RunCommandTest.args(density, "--out", dir.toString())))
        .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
    awaitRows(dir.resolve("network/history.csv"), 3, child);
    Cli second = Cli.run("run", "--resume", dir.toString());
    assertThat(second.exitCode()).isEqualTo(2);
    assertThat(second.err()).isEqualTo("error: " + dir + ": is in use by another varflow process (pid " + child.pid()
        + "); wait for it to end, or stop it first\n");
    Cli force = Cli.run(RunCommandTest.args(density, "--out", dir.toString(), "--force"));
    assertThat(force.exitCode()).isEqualTo(2);
    assertThat(force.err()).contains("is in use by another varflow process (pid " + child.pid() + ")");
    new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String log = Files.readString(tmp.resolve("child.log"));
    assertThat(child.exitValue()).as(log).isEqualTo(130);
    assertThat(log).contains("interrupted after the solve (1 steps), in the training of the exported network;"
        + " parameters, a checkpoint and the summary are kept in " + dir + "; continue with: varflow run --resume " + dir)
        .doesNotContain("Exception").doesNotContain("internal error");
    assertThat(status(dir)).isEqualTo("interrupted");
    assertThat(status(dir.resolve("network"))).isEqualTo("interrupted");
    assertThat(dir.resolve("plots")).doesNotExist();

    Cli resumed = Cli.run("run", "--resume", dir.toString());
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(status(dir)).isEqualTo("completed");
    assertThat(new ObjectMapper().readTree(dir.resolve("summary.json").toFile()).get("spec").asText())
        .isEqualTo("density");
    assertThat(withoutWallTime(dir.resolve("network"))).isEqualTo(withoutWallTime(reference.resolve("network")));
    assertThat(Files.readAllBytes(dir.resolve("network/params/W.npy")))
        .isEqualTo(Files.readAllBytes(reference.resolve("network/params/W.npy")));
    assertThat(dir.resolve("plots/density-network.png")).exists();
    Cli again = Cli.run("run", "--resume", dir.toString());
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).isEqualTo("the run in " + dir + " is complete (status completed): nothing to resume\n");
  }

  /**
   * History rows go to history.csv and are not kept: 400,000 recorded steps (some 180 MB as rows in memory) run in
   * a 48 MB heap.
   */
  @Test
  void theHistoryTakesNoMemory() throws Exception {
    Path dir = tmp.resolve("long");
    Process child = new ProcessBuilder(ChildJvm.varflow("-Xmx48m", "run", "--set", "backend=jvm", "--set", "data.train.n=10",
        "--set", "data.test.n=10", "--set", "discretization.width=2", "--set", "solver.steps=400000", "--set",
        "solver.record_every=1", "--out", dir.toString())).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("child.log").toFile()).start();
    assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as(Files.readString(tmp.resolve("child.log"))).isZero();
    try (var lines = Files.lines(dir.resolve("history.csv"))) {
      assertThat(lines.count()).isEqualTo(400_002);
    }
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    assertThat(summary.at("/final/step").asLong()).isEqualTo(400_000);
    assertThat(summary.at("/initial/step").asLong()).isZero();
  }

  /** @return the step of the checkpoint a resume continues from (one a kill left between two renames included) */
  private static long checkpointStep(Path dir) throws IOException {
    for (String name : List.of("checkpoint", "checkpoint.new", "checkpoint.old")) {
      Path info = dir.resolve(name).resolve("checkpoint.json");
      if (Files.exists(info)) {
        return new ObjectMapper().readTree(info.toFile()).get("step").asLong();
      }
    }
    throw new AssertionError("no checkpoint in " + dir);
  }

  /** @return the state tensor {@code name} of the checkpoint a resume continues from */
  private static double[] checkpointState(Path dir, String name) {
    for (String checkpoint : List.of("checkpoint", "checkpoint.new", "checkpoint.old")) {
      Path info = dir.resolve(checkpoint).resolve("checkpoint.json");
      if (Files.exists(info)) {
        return Npy.read(dir.resolve(checkpoint).resolve("state").resolve(name + ".npy")).data();
      }
    }
    throw new AssertionError("no checkpoint in " + dir);
  }

  private static String status(Path dir) throws IOException {
    return new ObjectMapper().readTree(dir.resolve("summary.json").toFile()).get("status").asText();
  }

  /** Waits until {@code history} holds {@code rows} rows, while the child runs. */
  private static void awaitRows(Path history, int rows, Process child) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      assertThat(child.isAlive()).as("the run is still going when it is stopped").isTrue();
      if (Files.exists(history) && Files.readAllLines(history).size() > rows) {
        return;
      }
      Thread.sleep(5);
    }
    throw new AssertionError(history + " has no " + rows + " rows within 120 s");
  }

  /** @return the step of the first checkpoint at or after {@code least}, polled while the child runs */
  private static long awaitCheckpoint(Path dir, long least, Process child) throws Exception {
    Path info = dir.resolve("checkpoint/checkpoint.json");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      assertThat(child.isAlive()).as("the run is still going when it is stopped").isTrue();
      try {
        long step = new ObjectMapper().readTree(info.toFile()).get("step").asLong();
        if (step >= least) {
          return step;
        }
      } catch (IOException | NullPointerException notThereYet) {
        // no checkpoint yet, or one being renamed into place
      }
      Thread.sleep(5);
    }
    throw new AssertionError("no checkpoint at step " + least + " within 120 s");
  }

  /** @return history.csv without its last column, wall_ms */
  private static List<String> withoutWallTime(Path dir) throws IOException {
    return Files.readAllLines(dir.resolve("history.csv")).stream()
        .map(line -> line.substring(0, line.lastIndexOf(','))).toList();
  }

  private static JsonNode summaryFinal(Path reference, JsonNode resumed) throws IOException {
    JsonNode expected = new ObjectMapper().readTree(reference.resolve("summary.json").toFile()).get("final").deepCopy();
    ((ObjectNode) expected).set("wall_ms", resumed.get("final").get("wall_ms"));
    return expected;
  }
}
