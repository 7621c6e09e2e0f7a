package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varflow.api.io.Npy;
import org.varflow.app.plugins.Plugins;

/**
 * A sampling rule written outside varflow with an option of its own (a stretch factor c: w_j = c·g_j, g_j Gaussian)
 * declares it on the shared options and reads it in {@code sample}: the option is described, checked (a bad value
 * names the key) and used (c = 3 gives 3 × the features of c = 1 from the same seed, to round-off).
 */
class FeaturePluginTest {
  private static final Map<String, String> STRETCHED = Map.of(
      "module-info.java", """
          module org.example.stretched {
            requires org.varflow.discretization.random.features;
            provides org.varflow.api.flow.Discretization with org.example.stretched.Stretched;
          }
          """,
      "org/example/stretched/Stretched.java", """
          package org.example.stretched;

          import java.util.SplittableRandom;
          import org.varflow.api.OptionSchema;
          import org.varflow.api.Options;
          import org.varflow.api.problem.FeatureDistribution;
          import org.varflow.discretization.random.features.SampledFeatures;

          public final class Stretched extends SampledFeatures {
            private static final OptionSchema OPTIONS = declare(OptionSchema.builder())
                .number("stretch", 1.0, "c: w_j = c·g_j").positive().build();
            public String id() { return "stretched-features"; }
            public String description() { return "Gaussian features stretched by c"; }
            public OptionSchema options() { return OPTIONS; }
            protected double[] sample(FeatureDistribution pi, int m, int d, SplittableRandom rng, Options options) {
              double c = options.getDouble("stretch");
              double[] w = new double[m * d];
              for (int i = 0; i < w.length; i++) {
                w[i] = c * pi.scale() / Math.sqrt(d) * rng.nextGaussian();
              }
              return w;
            }
          }
          """);

  @TempDir
  Path tmp;

  @Test
  void aSamplingRuleReadsItsOwnOption() throws Exception {
    Path features = PluginJars.location(new Plugins().registry().discretization("random-features"));
    Path plugins = tmp.resolve("plugins");
    PluginJars.build(plugins.resolve("stretched.jar"), "1.0.0", STRETCHED, List.of(PluginJars.api(), features));

    Cli described = Cli.run("--plugins", plugins.toString(), "plugins", "--describe", "stretched-features");
    assertThat(described.exitCode()).as(described.err()).isZero();
    assertThat(described.out()).contains("stretch", "width", "init");
    Cli bad = Cli.run("--plugins", plugins.toString(), "run", ProjectRoot.example("random-features.yaml"), "--set",
        "discretization={kind: stretched-features, width: 20, stretch: -1}");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).startsWith("error: discretization.stretch: ");
    double[] once = features(plugins, 1);
    double[] thrice = features(plugins, 3);
    assertThat(once).hasSize(20 * 6);
    for (int i = 0; i < once.length; i++) {
      assertThat(thrice[i]).isCloseTo(3 * once[i], within(1e-15 * Math.abs(3 * once[i])));
    }
  }

  /** @return W of the random-features example with 20 stretched features */
  private double[] features(Path plugins, double stretch) throws Exception {
    Path out = tmp.resolve("c" + stretch);
    Cli cli = Cli.run("--plugins", plugins.toString(), "run", ProjectRoot.example("random-features.yaml"), "--set",
        "backend=jvm", "--set", "discretization={kind: stretched-features, width: 20, stretch: " + stretch + "}",
        "--out", out.toString());
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    return Npy.read(out.resolve("params/W.npy")).data();
  }
}
