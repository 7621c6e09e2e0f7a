package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varflow.api.io.Npy;
import org.varflow.api.tensor.Precision;

/**
 * A regularizer written outside varflow — the smoothed path norm (β/m) Σ_j √(a_j² + ε) √(|w_j|² + ε), a particle
 * potential — built against the api only, runs on the built-in {@code particles} from a plugin directory: its
 * energy part is the one computed by hand, and its velocity is the gradient of its energy (one small step changes
 * the energy by −h·|v|²/m, the energy's first variation along the velocity).
 */
class RegularizerPluginTest {
  private static final int M = 6;
  private static final int P = 4; // d = 3 and a bias
  private static final double BETA = 0.7;
  private static final double EPS = 1e-3;

  /** The example path norm, examples/plugins/path-norm: a particle potential computed on the flow's backend. */
  static final Path PATH_NORM = ProjectRoot.resolve("examples/plugins/path-norm/src/main/java");

  @TempDir
  Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"jvm", "nd4j-cpu"})
  void aPathNormWrittenOutsideRunsOnParticles(String backend) throws Exception {
    Path plugins = tmp.resolve("plugins");
    PluginJars.build(plugins.resolve("path-norm.jar"), "1.0.0", PATH_NORM, List.of(PluginJars.api()));
    SplittableRandom rng = new SplittableRandom(5);
    double[] a = rng.doubles(M, -1, 1).toArray();
    double[] w = rng.doubles(M * P, -1, 1).toArray();
    Path init = Files.createDirectories(tmp.resolve("init"));
    Npy.write(init.resolve("a.npy"), a, new int[] {M}, Precision.FLOAT64);
    Npy.write(init.resolve("W.npy"), w, new int[] {M, P}, Precision.FLOAT64);
    double h = 1e-6;
    Path out = tmp.resolve("run");
    Cli cli = Cli.run("--plugins", plugins.toString(), "run", "--set", "backend=" + backend, "--set", "data.train.n=40",
        "--set", "data.test.n=10", "--set", "data.train.d=3", "--set", "data.test.d=3", "--set",
        "model.bias=true", "--set", "regularizers=[{kind: path-norm, strength: " + BETA + ", smoothing: " + EPS + "}]",
        "--set", "discretization={kind: particles, init: {npy: " + init + "}}", "--set",
        "solver={step: " + h + ", steps: 1, record_every: 1}", "--out", out.toString());
    assertThat(cli.exitCode()).as(cli.err()).isZero();

    List<String> lines = Files.readAllLines(out.resolve("history.csv"));
    List<String> header = List.of(lines.get(0).split(","));
    assertThat(header).contains("path-norm");
    double[] first = row(lines.get(1));
    double[] second = row(lines.get(2));
    int part = header.indexOf("path-norm");
    int energy = header.indexOf("energy");
    double expected = 0;
    for (int j = 0; j < M; j++) {
      double w2 = 0;
      for (int k = 0; k < P; k++) {
        w2 += w[j * P + k] * w[j * P + k];
      }
      expected += BETA * Math.sqrt(a[j] * a[j] + EPS) * Math.sqrt(w2 + EPS) / M;
    }
    assertThat(first[part]).isCloseTo(expected, within(1e-12 * expected));

    // θ₁ = θ₀ + h·v, v = −m∇E: E(θ₁) − E(θ₀) = −(1/m)|θ₁ − θ₀|²/h + O(h²|v|²)
    double[] a1 = Npy.read(out.resolve("params/a.npy")).data();
    double[] w1 = Npy.read(out.resolve("params/W.npy")).data();
    double moved = 0;
    for (int j = 0; j < M; j++) {
      moved += (a1[j] - a[j]) * (a1[j] - a[j]);
    }
    for (int i = 0; i < M * P; i++) {
      moved += (w1[i] - w[i]) * (w1[i] - w[i]);
    }
    double predicted = -moved / h / M;
    assertThat(second[energy] - first[energy]).isCloseTo(predicted, within(1e-3 * Math.abs(predicted)));
  }

  private static double[] row(String line) {
    return java.util.Arrays.stream(line.split(",", -1)).mapToDouble(c -> c.isEmpty() ? Double.NaN
        : Double.parseDouble(c)).toArray();
  }
}
