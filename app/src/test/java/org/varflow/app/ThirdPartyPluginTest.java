package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varflow.api.flow.Discretization;
import org.varflow.api.io.Npy;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.FeatureDistribution;
import org.varflow.api.problem.Loss;
import org.varflow.api.problem.RandomFeatureModel;
import org.varflow.api.problem.Tikhonov;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Activation;
import org.varflow.app.plugins.Plugins;
import org.varflow.kit.DiscretizationKit;
import org.varflow.kit.Metric;
import org.varflow.runtime.Varflow;

/**
 * The example third-party plugin, examples/plugins/orthogonal-features, built as its author would (javac and
 * jar against the api and the random-features module only), dropped into a plugin directory, described,
 * run, checked with the plugin kit — and its features are what it says: orthogonal within blocks of d, with
 * row lengths of the law it documents.
 */
class ThirdPartyPluginTest {
  private static final Path SOURCES = ProjectRoot.resolve("examples/plugins/orthogonal-features/src/main/java");

  @TempDir
  Path tmp;

  private Path pluginDirectory() throws Exception {
    Path features = PluginJars.location(new Plugins().registry().discretization("random-features"));
    Path plugins = tmp.resolve("plugins");
    PluginJars.build(plugins.resolve("orthogonal-features.jar"), "1.0.0", SOURCES, List.of(PluginJars.api(), features));
    return plugins;
  }

  @Test
  void theExamplePluginIsDescribedRunsAndHasOrthogonalFeatures() throws Exception {
    Path plugins = pluginDirectory();
    Cli describe = Cli.run("--plugins", plugins.toString(), "plugins", "--describe", "orthogonal-features");
    assertThat(describe.exitCode()).as(describe.err()).isZero();
    assertThat(describe.out()).startsWith("discretization orthogonal-features 1.0.0: random features orthogonal")
        .contains("width", "init.kind: gaussian", "init.npy");

    Path dir = tmp.resolve("run");
    Cli run = Cli.run("--plugins", plugins.toString(), "run", "../examples/random-features.yaml", "--set", "backend=jvm",
        "--set", "discretization={kind: orthogonal-features, width: 60}", "--out", dir.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    Npy.Array w = Npy.read(dir.resolve("params/W.npy"));
    int d = w.shape()[1];
    assertThat(w.shape()).containsExactly(60, 6);
    for (int i = 0; i < 60; i++) {
      for (int j = i / d * d; j < i; j++) {
        double dot = 0;
        double ni = 0;
        double nj = 0;
        for (int k = 0; k < d; k++) {
          dot += w.data()[i * d + k] * w.data()[j * d + k];
          ni += w.data()[i * d + k] * w.data()[i * d + k];
          nj += w.data()[j * d + k] * w.data()[j * d + k];
        }
        assertThat(Math.abs(dot)).as("w_%d · w_%d in one block", i, j).isLessThan(1e-12 * Math.sqrt(ni * nj));
      }
    }
    // the row lengths are the documented ones: |w_j| = χ_d · s/√d, i.i.d., for gaussian π of scale s (2.0 in
    // examples/random-features.yaml), so that each row has law π; d|w_j|²/s² ~ χ²_d, whose CDF for d = 6 is
    // 1 − e^{−x/2}(1 + x/2 + x²/8). The 60 values are within the 1% Kolmogorov distance 1.63/√60 = 0.21 of it.
    double s = 2.0;
    double[] chi2 = new double[60];
    for (int i = 0; i < 60; i++) {
      for (int k = 0; k < d; k++) {
        chi2[i] += w.data()[i * d + k] * w.data()[i * d + k] * d / (s * s);
      }
    }
    java.util.Arrays.sort(chi2);
    double distance = 0;
    for (int i = 0; i < 60; i++) {
      double x = chi2[i];
      double cdf = 1 - Math.exp(-x / 2) * (1 + x / 2 + x * x / 8);
      distance = Math.max(distance, Math.max(Math.abs((i + 1) / 60.0 - cdf), Math.abs(i / 60.0 - cdf)));
    }
    System.out.printf("orthogonal features: Kolmogorov distance of d|w|²/s² to χ²_%d: %.4f (mean %.3f, E = %d)%n", d,
        distance, java.util.Arrays.stream(chi2).average().orElseThrow(), d);
    assertThat(distance).as("Kolmogorov distance of d|w_j|²/s² to χ²_d").isLessThan(1.63 / Math.sqrt(60));
  }

  @Test
  void theExamplePluginPassesTheKit() throws Exception {
    Discretization orthogonal = Varflow.load(pluginDirectory()).registry().discretization("orthogonal-features");
    Dataset data = new Dataset("kit", 3, 2, new double[] {0.1, -0.4, 1.2, 0.3, -0.7, 0.9}, new double[] {0.5, -0.2, 0.8});
    VariationalProblem problem = new VariationalProblem(data, null, new RandomFeatureModel(Activation.TANH, true,
        new FeatureDistribution("gaussian", 1.0)), Loss.SQUARED, List.of(new Tikhonov(0.05)));
    DiscretizationKit.of(orthogonal, problem, Map.of("width", 7, "init", Map.of("kind", "gaussian")))
        .metric(Metric.scaled(1.0 / 7)).verify();
  }
}
