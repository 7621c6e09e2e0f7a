package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.api.tensor.Precision;

/**
 * {@code varflow bench}: on both real backends its JSON has the documented fields with consistent figures, and it
 * never loses rows: a case that fails gets its error in its own row and the bench goes on.
 */
class BenchCommandTest {
  private static final String[] TINY = {"bench", "--sizes", "S", "--repeats", "1", "--warmup", "0"};

  /** jvm, and a backend that passes the self-check but fails every float32 activation mid-run. */
  private static final PluginRegistry REGISTRY = Cli.withBackends(BackendSelfCheckTest.real("jvm"),
      FaultyTensors.backend("broken", FaultyTensors.failing(BackendSelfCheckTest.real("jvm").tensors(), "activate",
          Precision.FLOAT32)));

  /** GFLOP/s = 6·n·m·d / seconds per step, and the fraction of gemm is that over the backend's gemm GFLOP/s. */
  @Test
  void theJsonOfBothBackendsHasTheDocumentedFields() throws Exception {
    Cli cli = Cli.run(RunCommandTest.args(TINY, "--json"));
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    JsonNode doc = new ObjectMapper().readTree(cli.out());
    assertThat(doc.get("repeats").asInt()).isEqualTo(1);
    assertThat(doc.get("warmup").asInt()).isZero();
    assertThat(doc.get("backends").findValuesAsText("id")).containsExactlyInAnyOrder("jvm", "nd4j-cpu");
    assertThat(doc.get("backends").findValuesAsText("describe")).allSatisfy(d -> assertThat(d).isNotBlank());
    JsonNode results = doc.get("results");
    assertThat(results).hasSize(4);
    for (JsonNode r : results) {
      assertThat(r.get("size").asText()).isEqualTo("S");
      assertThat(r.get("precision").asText()).isIn("float32", "float64");
      double flops = 6.0 * r.get("n").asInt() * r.get("m").asInt() * r.get("d").asInt();
      double seconds = r.get("seconds_per_step").asDouble();
      assertThat(seconds).isPositive();
      assertThat(r.get("gflops").asDouble()).isCloseTo(flops / seconds / 1e9, within(1e-9 * flops / seconds / 1e9));
      assertThat(r.get("fraction_of_gemm").asDouble()).isCloseTo(r.get("gflops").asDouble()
          / r.get("gemm_gflops").asDouble(), within(1e-12));
      assertThat(r.has("error")).isFalse();
    }
  }

  @Test
  void aFailingCaseIsReportedInItsRowAndTheBenchGoesOn() {
    Cli cli = Cli.run(REGISTRY, TINY);
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    String[] lines = cli.out().split("\n");
    assertThat(lines).hasSize(5);
    assertThat(lines[1]).matches("broken +float32 +S +1024 +256 +16 +failed: ArithmeticException: injected failure of "
        + "activate in float32");
    assertThat(lines[2]).matches("broken +float64 +S +1024 +256 +16 +[0-9.e-]+ +[0-9.]+ .*");
    assertThat(lines[3]).matches("jvm +float32 +S .*%");
    assertThat(lines[4]).matches("jvm +float64 +S .*%");
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
