package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

  static final Map<String, String> PATH_NORM = Map.of(
      "module-info.java", """
          module org.example.pathnorm {
            requires org.varflow.api;
            provides org.varflow.api.problem.RegularizerKind with org.example.pathnorm.PathNormKind;
          }
          """,
      "org/example/pathnorm/PathNormKind.java", """
          package org.example.pathnorm;

          import org.varflow.api.OptionSchema;
          import org.varflow.api.Options;
          import org.varflow.api.problem.Regularizer;
          import org.varflow.api.problem.RegularizerKind;

          public final class PathNormKind implements RegularizerKind {
            private static final OptionSchema OPTIONS = OptionSchema.builder()
                .number("strength", null, "beta").atLeast(0).required()
                .number("smoothing", 1e-6, "epsilon").positive().build();
            public String id() { return "path-norm"; }
            public String description() { return "smoothed path norm (beta/m) sum sqrt(a^2 + eps) sqrt(|w|^2 + eps)"; }
            public OptionSchema options() { return OPTIONS; }
            public Regularizer create(Options node) {
              return new PathNorm(node.getDouble("strength"), node.getDouble("smoothing"));
            }
          }
          """,
      "org/example/pathnorm/PathNorm.java", """
          package org.example.pathnorm;

          import org.varflow.api.problem.ParticlePotential;
          import org.varflow.api.tensor.Tensor;

          /** V(a, w) = beta sqrt(a^2 + eps) sqrt(|w|^2 + eps). */
          record PathNorm(double strength, double smoothing) implements ParticlePotential {
            public String kind() { return "path-norm"; }

            public Tensor values(Tensor a, Tensor w) {
              double[] av = a.toDoubleArray(), wv = w.toDoubleArray();
              int p = w.cols();
              double[] v = new double[av.length];
              for (int j = 0; j < av.length; j++) {
                v[j] = strength * Math.sqrt(av[j] * av[j] + smoothing) * Math.sqrt(norm2(wv, j, p) + smoothing);
              }
              return a.factory().of(a.precision(), v, av.length);
            }

            public void addVelocity(Tensor a, Tensor w, Tensor va, Tensor vw) {
              double[] av = a.toDoubleArray(), wv = w.toDoubleArray();
              int p = w.cols();
              double[] ga = new double[av.length], gw = new double[wv.length];
              for (int j = 0; j < av.length; j++) {
                double sa = Math.sqrt(av[j] * av[j] + smoothing), sw = Math.sqrt(norm2(wv, j, p) + smoothing);
                ga[j] = -strength * av[j] / sa * sw;
                for (int k = 0; k < p; k++) {
                  gw[j * p + k] = -strength * sa * wv[j * p + k] / sw;
                }
              }
              Tensor da = a.factory().of(a.precision(), ga, a.shape());
              Tensor dw = w.factory().of(w.precision(), gw, w.shape());
              va.addi(da);
              vw.addi(dw);
              Tensor.releaseAll(da, dw);
            }

            private static double norm2(double[] w, int j, int p) {
              double s = 0;
              for (int k = 0; k < p; k++) {
                s += w[j * p + k] * w[j * p + k];
              }
              return s;
            }
          }
          """);

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
