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
import java.util.Locale;
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
 * The CUDA kernels checked without a GPU, launched as the backend launches them: {@link Kernels#SOURCE} is compiled
 * as C++ with a prelude that runs each block's threads as OS threads meeting at a barrier for
 * {@code __syncthreads()} ({@code emulation/prelude.h}), and a main() generated here makes each launch the way
 * {@link CudaTensor} and {@link Device} make it: the kernel named by {@link Kernels#name}, the grid of
 * {@link Kernels#blocks} (or {@link Kernels#reductionBlocks}) blocks of {@link Kernels#BLOCK} threads, the argument
 * list of the backend's own builders ({@code CudaTensor.binaryArguments} … with the operation codes of
 * {@link Kernels} and the activations' ordinals), each argument passed in the bytes {@link KernelArguments} writes
 * for its Java type and read as the kernel's parameter type ({@code emulation/harness.cpp}), and the reductions'
 * partial sums added by {@link Device#total}. Every output is compared with the jvm backend's result for the same
 * inputs. Needs a C++20 compiler ({@code g++}): without one the test is reported as skipped, with the reason,
 * never as passed. On a GPU the conformance suite checks the same operations through the backend itself.
 */
class KernelEmulationTest {
  private static final int N = 1001;
  private static final int ROWS = 13;
  private static final int COLS = 77;
  private static final int K = 31;

  /** Stands for a buffer of the generated main() where the backend passes a device pointer. */
  private record Buffer(String name) {}

  @Test
  void everyKernelLaunchedAsTheBackendLaunchesItComputesWhatTheJvmBackendComputes(@TempDir Path dir)
      throws Exception {
    assumeTrue(run(dir, 60, "g++", "--version").exit == 0,
        "KERNEL EMULATION NOT RUN: no g++ (a C++20 compiler) on this machine; the CUDA kernels were not checked");
    Path source = dir.resolve("kernels.cpp");
    Files.writeString(source, resource("prelude.h") + Kernels.SOURCE + resource("harness.cpp") + program());
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
      String s = " " + suffix(p);
      double tol = p == Precision.FLOAT32 ? 2e-6 : 1e-13;
      Tensor a = jvm.of(p, input(0.37, 0.1, 3, N), N);
      Tensor b = jvm.of(p, input(0.11, 1.2, 2, N), N);
      check(gpu.get("add" + s), a.add(b), tol);
      check(gpu.get("sub" + s), a.sub(b), tol);
      check(gpu.get("mul" + s), a.mul(b), tol);
      check(gpu.get("div" + s), a.div(b), tol);
      check(gpu.get("addi" + s), a.copy().addi(b), tol);
      check(gpu.get("muli" + s), a.copy().muli(b), tol);
      check(gpu.get("divi" + s), a.copy().divi(b), tol);
      check(gpu.get("sqrt" + s), a.sqrt(), tol); // NaN where a < 0
      check(gpu.get("abs" + s), a.abs(), 0);
      check(gpu.get("axpyi" + s), b.copy().axpyi(0.75, a), tol);
      check(gpu.get("scale" + s), a.scale(-1.5), tol);
      check(gpu.get("scalei" + s), a.copy().scalei(-1.5), tol);
      check(gpu.get("copy" + s), a.copy(), 0);
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
      check(gpu.get("addDiagonali" + s), square.addDiagonali(0.5), tol);
      assertThat(gpu.get("fill" + s)).hasSize(N).containsOnly(1.0);
      assertThat(gpu.get("sum" + s)).hasSize(Kernels.reductionBlocks(N));
      assertThat(Device.total(gpu.get("sum" + s))).isCloseTo(a.sum(), within(1e-13, a.sum()));
      assertThat(Device.total(gpu.get("dot" + s))).isCloseTo(a.dot(b), within(1e-13, a.dot(b)));
      assertThat(gpu.get("nonfinite" + s)).as("allFinite flags: finite, a NaN, a −∞").containsExactly(0, 1, 1);
    }
    check(gpu.get("cast f32"), jvm.of(Precision.FLOAT32, input(0.37, 0.1, 3, N), N).cast(Precision.FLOAT64), 0);
    check(gpu.get("cast f64"), jvm.of(Precision.FLOAT64, input(0.37, 0.1, 3, N), N).cast(Precision.FLOAT32), 0);
  }

  /** @return main(): every launch as the backend makes it, each output printed as "<case> <f32|f64> <values…>" */
  private static String program() {
    Buffer a = new Buffer("a");
    Buffer b = new Buffer("b");
    Buffer out = new Buffer("out");
    Buffer x = new Buffer("x");
    StringBuilder c = new StringBuilder("\nint main() {\n");
    for (Precision p : Precision.values()) {
      String t = p == Precision.FLOAT32 ? "float" : "double";
      c.append("  {\n    using T = ").append(t).append(";\n    const char* p = \"").append(suffix(p)).append("\";\n")
          .append(String.format(Locale.ROOT, """
                  std::vector<T> a = input<T>(0.37, 0.1, 3, %1$d), b = input<T>(0.11, 1.2, 2, %1$d), out(%1$d), x;
                  std::vector<T> row = input<T>(0.05, 0.3, 1, %2$d), column = input<T>(0.7, 0.2, 1, %3$d);
                  std::vector<double> partials;
                  std::vector<int> flag(1);
              """, N, COLS, ROWS));
      int[] binary = {Kernels.ADD, Kernels.SUB, Kernels.MUL, Kernels.DIV};
      String[] names = {"add", "sub", "mul", "div"};
      for (int i = 0; i < 4; i++) {
        launch(c, p, names[i], "binary", Kernels.blocks(N), "", CudaTensor.binaryArguments(binary[i], N, a, b, out),
            "out");
      }
      // in place: out is this
      launch(c, p, "addi", "binary", Kernels.blocks(N), "x = a;", CudaTensor.binaryArguments(Kernels.ADD, N, x, b, x),
          "x");
      launch(c, p, "muli", "binary", Kernels.blocks(N), "x = a;", CudaTensor.binaryArguments(Kernels.MUL, N, x, b, x),
          "x");
      launch(c, p, "divi", "binary", Kernels.blocks(N), "x = a;", CudaTensor.binaryArguments(Kernels.DIV, N, x, b, x),
          "x");
      launch(c, p, "sqrt", "unary", Kernels.blocks(N), "", CudaTensor.unaryArguments(Kernels.SQRT, N, a, out), "out");
      launch(c, p, "abs", "unary", Kernels.blocks(N), "", CudaTensor.unaryArguments(Kernels.ABS, N, a, out), "out");
      // axpyi: this is y, the operand x
      launch(c, p, "axpyi", "axpy", Kernels.blocks(N), "x = b;", CudaTensor.axpyArguments(N, 0.75, a, x), "x");
      launch(c, p, "scale", "scale", Kernels.blocks(N), "", CudaTensor.scaleArguments(N, -1.5, a, out), "out");
      launch(c, p, "scalei", "scale", Kernels.blocks(N), "x = a;", CudaTensor.scaleArguments(N, -1.5, x, x), "x");
      launch(c, p, "copy", "scale", Kernels.blocks(N), "", CudaTensor.scaleArguments(N, 1.0, a, out), "out");
      for (Activation sigma : Activation.values()) {
        launch(c, p, sigma.id(), "activate", Kernels.blocks(N), "",
            CudaTensor.activateArguments(sigma, 0, N, a, out), "out");
        launch(c, p, sigma.id() + "'", "activate", Kernels.blocks(N), "",
            CudaTensor.activateArguments(sigma, 1, N, a, out), "out");
      }
      Buffer row = new Buffer("row");
      Buffer column = new Buffer("column");
      launch(c, p, "mulRowVector", "broadcast", Kernels.blocks(N), "",
          CudaTensor.broadcastArguments(Kernels.MUL, 0, ROWS, COLS, a, row, out), "out");
      launch(c, p, "addRowVector", "broadcast", Kernels.blocks(N), "",
          CudaTensor.broadcastArguments(Kernels.ADD, 0, ROWS, COLS, a, row, out), "out");
      launch(c, p, "mulColumnVector", "broadcast", Kernels.blocks(N), "",
          CudaTensor.broadcastArguments(Kernels.MUL, 1, ROWS, COLS, a, column, out), "out");
      launch(c, p, "addDiagonali", "add_diagonal", Kernels.blocks(K), "x.assign(a.begin(), a.begin() + " + K * K + ");",
          CudaTensor.addDiagonalArguments(K, 0.5, x), "x");
      launch(c, p, "fill", "fill", Kernels.blocks(N), "std::fill(out.begin(), out.end(), (T) -7);",
          CudaTensor.fillArguments(N, 1.0, out), "out");
      Buffer partials = new Buffer("partials");
      String fresh = "partials.assign(%d, NAN);";
      launch(c, p, "sum", "partial_sum", Kernels.reductionBlocks(N), fresh.formatted(Kernels.reductionBlocks(N)),
          Device.partialSumArguments(N, a, null, partials), "partials");
      launch(c, p, "dot", "partial_sum", Kernels.reductionBlocks(N), fresh.formatted(Kernels.reductionBlocks(N)),
          Device.partialSumArguments(N, a, b, partials), "partials");
      // allFinite: the flag zeroed, then the launch, on a finite tensor, one with a NaN, one with −∞
      Buffer flag = new Buffer("flag");
      c.append("    std::vector<double> flags;\n");
      String[] poison = {"", "x[500] = (T) NAN;", "x[500] = (T) -INFINITY;"};
      for (String bad : poison) {
        c.append("    x = a; ").append(bad).append(" flag[0] = 0;\n");
        emitLaunch(c, Kernels.name("nonfinite", p), Kernels.blocks(N), Device.nonfiniteArguments(N, x, flag));
        c.append("    flags.push_back(flag[0]);\n");
      }
      c.append("    print((std::string(\"nonfinite \") + p).c_str(), flags);\n  }\n");
    }
    c.append(String.format(Locale.ROOT, """
          {
            std::vector<float> narrow = input<float>(0.37, 0.1, 3, %1$d);
            std::vector<double> wide(%1$d);
        """, N));
    emitLaunch(c, CudaTensor.castKernel(Precision.FLOAT64), Kernels.blocks(N),
        CudaTensor.castArguments(N, new Buffer("narrow"), new Buffer("wide")));
    c.append("    print(\"cast f32\", wide);\n");
    c.append(String.format(Locale.ROOT, """
            std::vector<double> given = input<double>(0.37, 0.1, 3, %1$d);
            std::vector<float> taken(%1$d);
        """, N));
    emitLaunch(c, CudaTensor.castKernel(Precision.FLOAT32), Kernels.blocks(N),
        CudaTensor.castArguments(N, new Buffer("given"), new Buffer("taken")));
    c.append("    print(\"cast f64\", taken);\n  }\n  return 0;\n}\n");
    return c.toString();
  }

  /** Appends: {@code before}, the launch of {@code kernel} in precision p, the printing of {@code printed}. */
  private static void launch(StringBuilder c, Precision p, String name, String kernel, int blocks, String before,
      Object[] args, String printed) {
    c.append("    ").append(before).append('\n');
    emitLaunch(c, Kernels.name(kernel, p), blocks, args);
    c.append("    print((std::string(\"").append(name).append(" \") + p).c_str(), ").append(printed).append(");\n");
  }

  /** Appends a launch of the C function {@code kernel} on {@code blocks} blocks with the arguments as Java values. */
  private static void emitLaunch(StringBuilder c, String kernel, int blocks, Object[] args) {
    c.append("    {\n      Arguments args;\n");
    for (int i = 0; i < args.length; i++) {
      // the bytes KernelArguments writes for each type
      Object arg = args[i];
      String value;
      if (arg instanceof Integer v) {
        value = "(std::int32_t) " + v;
      } else if (arg instanceof Long v) {
        value = "(std::int64_t) " + v + "LL";
      } else if (arg instanceof Double v) {
        value = "(double) " + Double.toHexString(v);
      } else if (arg instanceof Buffer v) {
        value = "(void*) " + v.name() + ".data()";
      } else if (arg == null) {
        value = "(void*) nullptr";
      } else {
        throw new IllegalArgumentException("kernel argument #" + i + " of type " + arg.getClass().getName());
      }
      c.append("      args.add(").append(value).append(");\n");
    }
    c.append("      launch(").append(blocks).append(", ").append(Kernels.BLOCK).append(", [&] { call(")
        .append(kernel).append(", args); });\n    }\n");
  }

  private static String suffix(Precision p) {
    return p == Precision.FLOAT32 ? "f32" : "f64";
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
