package org.varflow.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;
import org.varflow.backend.jvm.JvmBackend;

/**
 * The CUDA kernels' arithmetic and indexing, checked without a GPU: {@link Kernels#SOURCE} is compiled as C++ with a
 * prelude that runs each block's 256 threads as OS threads meeting at a barrier for {@code __syncthreads()}
 * ({@code emulation/prelude.h}), launched on several blocks so the grid-stride loops wrap, and every output is
 * compared with the jvm backend's result for the same inputs. Needs a C++20 compiler ({@code g++}); skipped without
 * one. On a GPU the conformance suite checks the same operations through the backend itself.
 */
class KernelEmulationTest {
  private static final int N = 1001;
  private static final int ROWS = 13;
  private static final int COLS = 77;
  private static final int K = 31;

  @Test
  void everyKernelComputesWhatTheJvmBackendComputes(@TempDir Path dir) throws Exception {
    assumeTrue(run(dir, 60, "g++", "--version").exit == 0, "no g++ here");
    Path source = dir.resolve("kernels.cpp");
    Files.writeString(source, resource("prelude.h") + Kernels.SOURCE + resource("harness.cpp"));
    Result compiled = run(dir, 300, "g++", "-std=c++20", "-O1", "-pthread", "-w", "-o", "kernels", source.toString());
    assertThat(compiled.exit).as(compiled.output).isZero();
    Result ran = run(dir, 300, dir.resolve("kernels").toString());
    assertThat(ran.exit).as(ran.output).isZero();
    Map<String, double[]> gpu = new HashMap<>();
    for (String line : ran.output.split("\n")) {
      String[] f = line.trim().split(" ");
      gpu.put(f[0] + " " + f[1], Arrays.stream(f, 2, f.length).mapToDouble(Double::parseDouble).toArray());
    }

    TensorFactory jvm = new JvmBackend().tensors();
    for (Precision p : Precision.values()) {
      String s = p == Precision.FLOAT32 ? " f32" : " f64";
      double tol = p == Precision.FLOAT32 ? 2e-6 : 1e-13;
      Tensor a = jvm.of(p, input(0.37, 0.1, 3, N), N);
      Tensor b = jvm.of(p, input(0.11, 1.2, 2, N), N);
      check(gpu.get("add" + s), a.add(b), tol);
      check(gpu.get("sub" + s), a.sub(b), tol);
      check(gpu.get("mul" + s), a.mul(b), tol);
      check(gpu.get("div" + s), a.div(b), tol);
      check(gpu.get("addi" + s), a.copy().addi(b), tol);
      check(gpu.get("sqrt" + s), a.sqrt(), tol); // NaN where a < 0
      check(gpu.get("abs" + s), a.abs(), 0);
      check(gpu.get("axpy" + s), b.copy().axpyi(0.75, a), tol);
      check(gpu.get("scale" + s), a.scale(-1.5), tol);
      for (Activation sigma : Activation.values()) {
        check(gpu.get(sigma.id() + s), a.activate(sigma), tol);
        check(gpu.get(sigma.id() + "'" + s), a.activateDerivative(sigma), tol);
      }
      Tensor m = a.reshape(ROWS, COLS);
      Tensor row = jvm.of(p, input(0.05, 0.3, 1, COLS), COLS);
      Tensor column = jvm.of(p, input(0.7, 0.2, 1, ROWS), ROWS);
      check(gpu.get("mulRowVector" + s), m.mulRowVector(row), tol);
      check(gpu.get("addRowVector" + s), m.addRowVector(row), tol);
      check(gpu.get("mulColumnVector" + s), m.mulColumnVector(column), tol);
      Tensor square = jvm.of(p, Arrays.copyOf(a.toDoubleArray(), K * K), K, K);
      check(gpu.get("addDiagonal" + s), square.addDiagonali(0.5), tol);
      assertThat(gpu.get("fill" + s)).hasSize(N).containsOnly(2.25);
      assertThat(Arrays.stream(gpu.get("sumPartials" + s)).sum()).isCloseTo(a.sum(), within(1e-13, a.sum()));
      assertThat(Arrays.stream(gpu.get("dotPartials" + s)).sum()).isCloseTo(a.dot(b), within(1e-13, a.dot(b)));
      assertThat(gpu.get("nonfinite" + s)).containsExactly(0, 1, 1);
    }
    check(gpu.get("cast f32"), jvm.of(Precision.FLOAT32, input(0.37, 0.1, 3, N), N).cast(Precision.FLOAT64), 0);
    check(gpu.get("cast f64"), jvm.of(Precision.FLOAT64, input(0.37, 0.1, 3, N), N).cast(Precision.FLOAT32), 0);
  }

  /** Elementwise |gpu − jvm| ≤ tol·max(1, |jvm|), NaN exactly where jvm has NaN. */
  private static void check(double[] gpu, Tensor expected, double tol) {
    double[] want = expected.toDoubleArray();
    assertThat(gpu).hasSameSizeAs(want);
    for (int i = 0; i < want.length; i++) {
      if (Double.isNaN(want[i])) {
        assertThat(gpu[i]).as("element %d of %s", i, expected).isNaN();
      } else {
        assertThat(gpu[i]).as("element %d of %s", i, expected).isCloseTo(want[i], within(tol, want[i]));
      }
    }
  }

  private static Offset<Double> within(double tol, double scale) {
    return Offset.offset(tol * Math.max(1, Math.abs(scale)));
  }

  /** scale·sin(f·i + g), i = 0 … n − 1: the harness's inputs. */
  private static double[] input(double f, double g, double scale, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = scale * Math.sin(f * i + g);
    }
    return v;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = KernelEmulationTest.class.getResourceAsStream("/emulation/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private record Result(int exit, String output) {}

  private static Result run(Path dir, int seconds, String... command) throws Exception {
    Process process;
    try {
      process = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    }
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(seconds, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
    return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
