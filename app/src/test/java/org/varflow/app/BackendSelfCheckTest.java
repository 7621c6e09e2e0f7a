package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.api.tensor.Backend;
import org.varflow.api.tensor.Precision;
import org.varflow.backend.support.SelfCheck;
import org.varflow.api.tensor.TensorFactory;

/**
 * The start-up self-check: it passes on the real backends, catches a wrong gemm, Cholesky solve, dot product,
 * sum or squared norm in either precision (wrong by half, by 1e-8 relative in float64 or 1e-3 in float32, for one
 * transpose pair only, in its shape, one element short), and a backend that fails it is reported by
 * {@code plugins}, skipped with a warning by {@code backend: auto} and refused with exit code 2 when asked for by
 * name.
 */
class BackendSelfCheckTest {
  private static final List<Backend> REAL = PluginRegistry.load(BackendSelfCheckTest.class.getClassLoader()).backends();
  private static final String[] SMALL = {"--set", "data.train.n=200", "--set", "data.test.n=100", "--set",
      "discretization.width=16", "--set", "solver.steps=5"};
  private static final List<String> BOTH = List.of("jvm", "nd4j-cpu");

  @TempDir
  Path tmp;

  static Backend real(String id) {
    return REAL.stream().filter(b -> b.id().equals(id)).findFirst().orElseThrow();
  }

  /** Every backend shipped passes where its device is present (the cuda backend only on a machine with a GPU). */
  @Test
  void realBackendsPass() {
    for (Backend b : REAL.stream().filter(b -> !b.deviceAbsent()).toList()) {
      assertThat(SelfCheck.verify(b.tensors())).as(b.id()).isEmpty();
      assertThat(b.unavailableReason()).as(b.id()).isEmpty();
    }
  }

  @ParameterizedTest
  @CsvSource({
    "matmul, FLOAT32, float32 gemm A·B (5×4 · 4×3): relative error 0.500",
    "matmul, FLOAT64, float64 gemm A·B (5×4 · 4×3): relative error 0.500",
    "choleskySolve, FLOAT32, float32 Cholesky solve (n = 17): relative error 0.500",
    "choleskySolve, FLOAT64, float64 Cholesky solve (n = 17): relative error 0.500",
    "dot, FLOAT32, float32 dot product (length 1031): relative error",
    "dot, FLOAT64, float64 dot product (length 1031): relative error",
    "sum, FLOAT32, float32 sum (length 1031): relative error",
    "sum, FLOAT64, float64 sum (length 1031): relative error",
    "squaredNorm, FLOAT32, float32 squared norm (length 1031): relative error 0.500",
    "squaredNorm, FLOAT64, float64 squared norm (length 1031): relative error 0.500"})
  void aWrongAnswerIsCaughtAndNamed(String op, Precision precision, String expected) {
    for (String id : BOTH) {
      Optional<String> failure = SelfCheck.verify(FaultyTensors.wrong(real(id).tensors(), op, precision));
      assertThat(failure).as(id).hasValueSatisfying(why -> assertThat(why).startsWith(expected));
    }
  }

  /**
   * An error of 1e-8 relative in float64 (100× the tolerance of 1e-10, far below what float32 could show) and of 1e-3
   * in float32 (10× its tolerance of 1e-4), in any one operation, fails the check; for the reductions the error is
   * measured against Σ|x_i y_i| (Σ|x_i|), so their operands must not cancel for a relative error of the result to
   * show.
   */
  @ParameterizedTest
  @CsvSource({
    "matmul, FLOAT64, 1e-8, float64 gemm A·B (5×4 · 4×3)",
    "choleskySolve, FLOAT64, 1e-8, float64 Cholesky solve (n = 17)",
    "dot, FLOAT64, 1e-8, float64 dot product (length 1031)",
    "sum, FLOAT64, 1e-8, float64 sum (length 1031)",
    "squaredNorm, FLOAT64, 1e-8, float64 squared norm (length 1031)",
    "matmul, FLOAT32, 1e-3, float32 gemm A·B (5×4 · 4×3)",
    "choleskySolve, FLOAT32, 1e-3, float32 Cholesky solve (n = 17)",
    "dot, FLOAT32, 1e-3, float32 dot product (length 1031)",
    "sum, FLOAT32, 1e-3, float32 sum (length 1031)",
    "squaredNorm, FLOAT32, 1e-3, float32 squared norm (length 1031)"})
  void aSmallRelativeErrorIsCaught(String op, Precision precision, double relative, String expected) {
    for (String id : BOTH) {
      Optional<String> failure = SelfCheck.verify(FaultyTensors.off(real(id).tensors(), op, precision, relative));
      assertThat(failure).as(id).hasValueSatisfying(why -> assertThat(why).startsWith(expected + ": relative error"));
    }
  }

  /** Errors at the level of rounding (1e-13 relative in float64, 1e-6 in float32) are no failure. */
  @ParameterizedTest
  @CsvSource({"matmul", "choleskySolve", "dot", "sum", "squaredNorm"})
  void roundingIsNoFailure(String op) {
    for (String id : BOTH) {
      TensorFactory off = FaultyTensors.off(FaultyTensors.off(real(id).tensors(), op, Precision.FLOAT64, 1e-13), op,
          Precision.FLOAT32, 1e-6);
      assertThat(SelfCheck.verify(off)).as(id).isEmpty();
    }
  }

  /** A product wrong for one transpose pair alone (its elements in column order) is caught, naming that pair. */
  @ParameterizedTest
  @CsvSource({"false, false, A·B", "true, false, Aᵀ·B", "false, true, A·Bᵀ", "true, true, Aᵀ·Bᵀ"})
  void aSingleWrongTransposeIsCaught(boolean transposeA, boolean transposeB, String pair) {
    for (String id : BOTH) {
      Optional<String> failure = SelfCheck.verify(FaultyTensors.transposedFor(real(id).tensors(), transposeA,
          transposeB));
      assertThat(failure).as(id).hasValueSatisfying(why -> assertThat(why).startsWith("float32 gemm " + pair
          + " (5×4 · 4×3): "));
    }
  }

  /**
   * A result of the wrong shape is caught even when its elements are right: a product or solve whose shape is
   * reversed, a dot product or sum that leaves out the last element.
   */
  @ParameterizedTest
  @CsvSource({
    "matmul, FLOAT32, 'float32 gemm A·B (5×4 · 4×3): shape [3, 5], expected [5, 3]'",
    "matmul, FLOAT64, 'float64 gemm A·B (5×4 · 4×3): shape [3, 5], expected [5, 3]'",
    "choleskySolve, FLOAT32, 'float32 Cholesky solve (n = 17): shape [2, 17], expected [17, 2]'",
    "choleskySolve, FLOAT64, 'float64 Cholesky solve (n = 17): shape [2, 17], expected [17, 2]'"})
  void aWrongShapeIsCaught(String op, Precision precision, String expected) {
    for (String id : BOTH) {
      Optional<String> failure = SelfCheck.verify(FaultyTensors.reshaped(real(id).tensors(), op, precision));
      assertThat(failure).as(id).contains(expected);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "dot, FLOAT32, float32 dot product (length 1031): relative error",
    "dot, FLOAT64, float64 dot product (length 1031): relative error",
    "sum, FLOAT32, float32 sum (length 1031): relative error",
    "sum, FLOAT64, float64 sum (length 1031): relative error"})
  void aReductionOneElementShortIsCaught(String op, Precision precision, String expected) {
    for (String id : BOTH) {
      Optional<String> failure = SelfCheck.verify(FaultyTensors.oneShort(real(id).tensors(), op, precision));
      assertThat(failure).as(id).hasValueSatisfying(why -> assertThat(why).startsWith(expected));
    }
  }

  /**
   * The fallback paths, with nd4j-cpu replaced by a stand-in whose Cholesky solve is wrong in float64, beside a GPU
   * backend of higher priority on a machine without a GPU, which {@code auto} passes over silently.
   */
  @Test
  void aBackendThatFailsItIsReportedSkippedAndRefused() throws Exception {
    PluginRegistry registry = Cli.withBackends(real("jvm"),
        FaultyTensors.backend("nd4j-cpu", FaultyTensors.wrong(real("nd4j-cpu").tensors(), "choleskySolve", Precision.FLOAT64)),
        new NoGpu());
    String reason = "self-check failed: float64 Cholesky solve (n = 17): relative error 0.500 > 1e-10";

    Cli plugins = Cli.run(registry, "plugins");
    assertThat(plugins.exitCode()).isZero();
    assertThat(plugins.out()).contains("unavailable: no GPU here");
    assertThat(plugins.out()).containsPattern("backend +nd4j-cpu .* unavailable: " + reason.replace("(", "\\(").replace(")", "\\)"));

    Path dir = tmp.resolve("auto");
    Cli auto = Cli.run(registry, RunCommandTest.args(new String[] {"run", "--out", dir.toString()}, SMALL));
    assertThat(auto.exitCode()).as(auto.err()).isZero();
    assertThat(auto.err()).contains("warning: backend 'nd4j-cpu' cannot run here (" + reason + "); backend auto uses 'jvm'")
        .doesNotContain("gpu");
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    assertThat(summary.at("/backend/id").asText()).isEqualTo("jvm");
    assertThat(dir.resolve("spec.yaml")).content().contains("\nbackend: jvm\n");
    assertThat(summary.at("/warnings/0").asText()).contains(reason);

    Cli named = Cli.run(registry, RunCommandTest.args(new String[] {"run", "--backend", "nd4j-cpu", "--out",
        tmp.resolve("named").toString()}, SMALL));
    assertThat(named.exitCode()).isEqualTo(2);
    assertThat(named.err()).contains("error: backend 'nd4j-cpu' cannot run here: " + reason).doesNotContain("Exception");
  }

  /** A GPU backend on a machine without a GPU: unavailable, device absent, first in priority. */
  private static final class NoGpu implements Backend {
    @Override
    public String id() {
      return "gpu";
    }

    @Override
    public String description() {
      return "a GPU backend";
    }

    @Override
    public int priority() {
      return 1000;
    }

    @Override
    public Optional<String> unavailableReason() {
      return Optional.of("no GPU here");
    }

    @Override
    public boolean deviceAbsent() {
      return true;
    }

    @Override
    public String describe() {
      return "GPU: unavailable";
    }

    @Override
    public TensorFactory tensors() {
      throw new IllegalStateException("no GPU here");
    }
  }
}
