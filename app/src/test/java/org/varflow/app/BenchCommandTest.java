package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.api.solve.SolveContext;
import org.varflow.api.tensor.Backend;
import org.varflow.api.tensor.Precision;
import org.varflow.app.bench.BenchTimingTest;
import org.varflow.app.plugins.Plugins;

/**
 * {@code varflow bench}: it times every backend the registry finds available (whichever they are on the machine) and
 * says why it skips the others; its JSON has the documented fields with consistent figures; each timed case runs
 * warm-up + repeats steps; and it never loses rows: a case that fails gets its error in its own row and the bench
 * goes on. The median and the ridge row are in {@link BenchTimingTest}.
 */
class BenchCommandTest {
  private static final String[] TINY = {"bench", "--sizes", "S", "--repeats", "1", "--warmup", "0"};
  /** The backends of the plugins found on the module path, as the command sees them. */
  private static final List<Backend> FOUND = new Plugins().registry().backends();

  /** jvm, and a backend that passes the self-check but fails every float32 activation mid-run. */
  private static final PluginRegistry REGISTRY = Cli.withBackends(BackendSelfCheckTest.real("jvm"),
      FaultyTensors.backend("broken", FaultyTensors.failing(BackendSelfCheckTest.real("jvm").tensors(), "activate",
          Precision.FLOAT32)));

  /**
   * Every available backend and no other, one row per backend and precision at size S, each from a solve of warm-up +
   * repeats steps; GFLOP/s = 6·n·m·d / seconds per step, and the fraction of gemm is that over the backend's gemm
   * GFLOP/s (1e-9 and 1e-12 relative: the same arithmetic, printed and parsed).
   */
  @Test
  void theJsonOfEveryAvailableBackendHasTheDocumentedFields() throws Exception {
    List<String> available = FOUND.stream().filter(Backend::isAvailable).map(Backend::id).toList();
    assertThat(available).contains("jvm", "nd4j-cpu");
    List<SolveContext> solves = new ArrayList<>();
    Cli cli = Cli.run(BenchTimingTest.withRecordedSolver("explicit-euler", solves), "bench", "--sizes", "S",
        "--repeats", "1", "--warmup", "1", "--json");
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    JsonNode doc = new ObjectMapper().readTree(cli.out());
    assertThat(doc.get("repeats").asInt()).isEqualTo(1);
    assertThat(doc.get("warmup").asInt()).isEqualTo(1);
    assertThat(doc.get("backends").findValuesAsText("id")).containsExactlyElementsOf(available);
    assertThat(doc.get("backends").findValuesAsText("describe")).allSatisfy(d -> assertThat(d).isNotBlank());
    JsonNode results = doc.get("results");
    assertThat(results).hasSize(2 * available.size());
    List<String> cases = new ArrayList<>();
    for (JsonNode r : results) {
      cases.add(r.get("backend").asText() + " " + r.get("precision").asText());
      assertThat(r.get("size").asText()).isEqualTo("S");
      double flops = 6.0 * r.get("n").asInt() * r.get("m").asInt() * r.get("d").asInt();
      double seconds = r.get("seconds_per_step").asDouble();
      assertThat(seconds).isPositive();
      assertThat(r.get("gflops").asDouble()).isCloseTo(flops / seconds / 1e9, within(1e-9 * flops / seconds / 1e9));
      assertThat(r.get("fraction_of_gemm").asDouble()).isCloseTo(r.get("gflops").asDouble()
          / r.get("gemm_gflops").asDouble(), within(1e-12));
      assertThat(r.has("error")).isFalse();
    }
    assertThat(cases).containsExactlyElementsOf(available.stream()
        .flatMap(id -> List.of(id + " float32", id + " float64").stream()).toList());
    assertThat(solves).hasSize(results.size()).allSatisfy(c -> {
      assertThat(c.options().getLong("steps")).as("warm-up + repeats").isEqualTo(2);
      assertThat(c.flow().state().get("W").rows()).isEqualTo(256);
    });
    assertThat(doc.get("peak_resident_bytes").asLong()).isNotNegative();
  }

  /** The table: a line saying why for each backend that cannot run here, a row for each one that can. */
  @Test
  void everyBackendIsBenchmarkedOrSaysWhyNot() {
    Cli cli = Cli.run(RunCommandTest.args(TINY, "--precision", "float64"));
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    List<String> lines = cli.out().lines().toList();
    List<String> expected = new ArrayList<>();
    for (Backend b : FOUND.stream().filter(b -> !b.isAvailable()).toList()) {
      expected.add(b.id() + ": not benchmarked: " + b.unavailableReason().orElseThrow());
    }
    assertThat(lines.subList(0, expected.size())).containsExactlyElementsOf(expected);
    assertThat(lines.get(expected.size())).matches("backend +precision +size +n +m +d +s/step +GFLOP/s +gemm GF/s"
        + " +% gemm");
    List<String> rows = lines.subList(expected.size() + 1, lines.size()).stream()
        .filter(l -> !l.startsWith("peak resident memory")).toList();
    List<Backend> available = FOUND.stream().filter(Backend::isAvailable).toList();
    assertThat(rows).hasSize(available.size());
    for (int i = 0; i < rows.size(); i++) {
      assertThat(rows.get(i)).matches(available.get(i).id() + " +float64 +S +1024 +256 +16 +[0-9.e-]+ +[0-9.]+ .*%");
    }
  }

  @Test
  void aFailingCaseIsReportedInItsRowAndTheBenchGoesOn() {
    Cli cli = Cli.run(REGISTRY, TINY);
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    List<String> lines = new ArrayList<>(Arrays.asList(cli.out().split("\n")));
    if (Files.isReadable(Path.of("/proc/self/status"))) {
      assertThat(lines.remove(lines.size() - 1)).matches("peak resident memory of this process: [0-9]+ MB");
    }
    assertThat(lines).hasSize(5);
    assertThat(lines.get(1)).matches("broken +float32 +S +1024 +256 +16 +failed: ArithmeticException: injected failure "
        + "of activate in float32");
    assertThat(lines.get(2)).matches("broken +float64 +S +1024 +256 +16 +[0-9.e-]+ +[0-9.]+ .*");
    assertThat(lines.get(3)).matches("jvm +float32 +S .*%");
    assertThat(lines.get(4)).matches("jvm +float64 +S .*%");
  }

  @Test
  void theJsonHasAnErrorEntryForTheFailedCase() throws Exception {
    Cli cli = Cli.run(REGISTRY, RunCommandTest.args(TINY, "--json"));
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    JsonNode results = new ObjectMapper().readTree(cli.out()).get("results");
    assertThat(results).hasSize(4);
    assertThat(results.get(0).get("error").asText()).contains("injected failure of activate");
    assertThat(results.get(0).has("seconds_per_step")).isFalse();
    assertThat(results.get(1).get("seconds_per_step").asDouble()).isPositive();
  }

  @Test
  void onlyWhenEveryCaseFailsIsTheExitStatusNonZero() {
    Cli cli = Cli.run(REGISTRY, RunCommandTest.args(TINY, "--backend", "broken", "--precision", "float32"));
    assertThat(cli.exitCode()).isEqualTo(3);
    assertThat(cli.out()).contains("failed: ArithmeticException: injected failure of activate in float32");
  }
}
