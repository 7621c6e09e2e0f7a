package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The memory a run is estimated to need before it starts bounds what it then takes: in a JVM with a 1 GB heap, a run
 * of the widest flow the estimate lets through completes instead of running out of memory (as it did when the
 * estimate left out the collector's gaps between large arrays and the test set's activations, and, once particles
 * were evaluated in blocks, the velocity a backend's pool keeps and the parameters a run writes). With blocks the
 * widest flow has millions of particles, so the data are small (n = 200, d = 3) to keep the runs short.
 */
class MemoryEstimateTest {
  private static final String HEAP = "-Xmx1g";
  private static final long PROBE_WIDTH = 100_000_000;
  /** Blocks small enough that the estimate is nearly proportional to the width (3·n·β·8 B = 4.9 MB here). */
  private static final String BLOCK = "discretization.block=1024";
  private static final Pattern REFUSAL = Pattern.compile("the flow needs about ([0-9.]+ [kMGT]?B) \\(.*\\), more than"
      + " the ([0-9.]+ [kMGT]?B) backend 'jvm' has free");

  @TempDir
  Path tmp;

  /**
   * Reads how much the estimate counts per particle and how much the backend has free from the refusal of a flow far
   * too wide, then runs the quickstart 3% below the widest flow that fits (the amounts are printed to 3 digits).
   */
  @ParameterizedTest(name = "test points: {0}")
  @ValueSource(ints = {200, 50})
  void theWidestFlowTheEstimateAllowsRuns(int testPoints) throws Exception {
    String test = "data.test.n=" + testPoints;
    Child refused = varflow("run", "--backend", "jvm", "--set", test, "--set", "data.test.d=3", "--set", "data.train.n=200",
        "--set", "data.train.d=3", "--set", BLOCK, "--set", "discretization.width=" + PROBE_WIDTH, "--out", tmp.resolve("refused").toString());
    assertThat(refused.exitCode()).as(refused.log()).isEqualTo(2);
    Matcher m = REFUSAL.matcher(refused.log());
    assertThat(m.find()).as(refused.log()).isTrue();
    long width = (long) (0.97 * bytes(m.group(2)) / bytes(m.group(1)) * PROBE_WIDTH);

    Child run = varflow("run", "--backend", "jvm", "--set", test, "--set", "data.test.d=3", "--set", "data.train.n=200",
        "--set", "data.train.d=3", "--set", BLOCK, "--set", "discretization.width=" + width, "--set", "solver.steps=2",
        "--out",
        tmp.resolve("run").toString());
    assertThat(run.exitCode()).as("width %d: %s", width, run.log()).isZero();
  }

  /** @return e.g. {@code 1.23 GB} in bytes */
  private static double bytes(String human) {
    String[] parts = human.split(" ");
    return Double.parseDouble(parts[0]) * Math.pow(1000, "BkMGT".indexOf(parts[1].charAt(0)));
  }

  private record Child(int exitCode, String log) {}

  /** Runs {@code varflow} in a new JVM with a 1 GB heap. */
  private Child varflow(String... args) throws Exception {
    Path log = Files.createTempFile(tmp, "child", ".log");
    Process child = new ProcessBuilder(ChildJvm.varflow(HEAP, args)).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    boolean ended = child.waitFor(60, TimeUnit.SECONDS);
    if (!ended) {
      child.destroyForcibly().waitFor();
    }
    assertThat(ended).as("varflow ended within a minute").isTrue();
    return new Child(child.exitValue(), Files.readString(log));
  }
}
