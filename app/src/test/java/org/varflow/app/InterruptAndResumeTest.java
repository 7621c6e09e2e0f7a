package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A run killed outright (SIGKILL, nothing of it runs after) or stopped by SIGTERM in a separate JVM, then continued
 * with {@code varflow run --resume DIR}, ends with the history and parameters of a run that was never stopped, bit
 * for bit ({@code wall_ms} aside), on each backend.
 */
class InterruptAndResumeTest {
  private static final int STEPS = 8000;

  @TempDir
  Path tmp;

  private static String[] run(String backend, Path dir) {
    return new String[] {"run", "--set", "backend=" + backend, "--set", "data.train.n=200", "--set", "data.test.n=100",
        "--set", "discretization.width=32", "--set", "solver.steps=" + STEPS, "--set", "solver.record_every=100",
        "--set", "solver.checkpoint_every=250", "--out", dir.toString()};
  }

  /** The command line of {@code varflow} in a new JVM, on the module and class path of this one. */
  private static List<String> varflow(String... args) {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "-Xmx1g",
        "--add-modules", "jdk.incubator.vector", "--module-path", System.getProperty("jdk.module.path"),
        "--add-modules", "ALL-MODULE-PATH", "--class-path", System.getProperty("java.class.path"),
        "-m", "org.varflow.app/org.varflow.app.Main"));
    cmd.addAll(List.of(args));
    return cmd;
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"jvm, KILL", "jvm, TERM", "nd4j-cpu, KILL", "nd4j-cpu, TERM"})
  void aResumedRunEndsAsIfNeverStopped(String backend, String signal) throws Exception {
    Path reference = tmp.resolve("reference");
    Cli whole = Cli.run(run(backend, reference));
    assertThat(whole.exitCode()).as(whole.err()).isZero();
    assertThat(reference.resolve("checkpoint")).as("a completed run keeps no checkpoint").doesNotExist();

    Path dir = tmp.resolve("stopped");
    Process child = new ProcessBuilder(varflow(run(backend, dir))).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("child.log").toFile()).start();
    long step = awaitCheckpoint(dir, 1000, child);
    if (signal.equals("KILL")) {
      child.destroyForcibly();
    } else {
      child.destroy();
    }
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String log = Files.readString(tmp.resolve("child.log"));
    if (signal.equals("TERM")) {
      assertThat(child.exitValue()).as(log).isEqualTo(143);
      assertThat(log).containsPattern("interrupted at step \\d+; parameters, a checkpoint and the summary are kept in "
          + dir.toString().replace("\\", "\\\\") + "; continue with: varflow run --resume ");
      JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
      assertThat(summary.get("status").asText()).isEqualTo("interrupted");
      assertThat(summary.get("steps").asLong()).isGreaterThanOrEqualTo(step).isLessThan(STEPS);
      assertThat(dir.resolve("params/a.npy")).exists();
    } else {
      assertThat(child.exitValue()).as(log).isEqualTo(137);
    }

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
