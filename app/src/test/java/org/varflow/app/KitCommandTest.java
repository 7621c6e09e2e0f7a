package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varflow.app.plugins.Plugins;

/**
 * {@code varflow kit JAR} on jars built as their authors would (javac and jar, outside the reactor): the example
 * midpoint solver passes the solver kit with order 2 on both backends, the smoothed path norm passes the regularizer kit, a solver drawing its noise from a fresh generator fails the
 * resume check (exit 1, the message on its line), and a path that is no jar, or a jar without plugins, is exit 2.
 */
class KitCommandTest {
  private static final Path MIDPOINT = ProjectRoot.resolve("examples/plugins/midpoint/src/main/java");

  /** Euler–Maruyama with noise from a generator of its own: a resumed solve cannot draw the same numbers. */
  private static final Map<String, String> FRESH_NOISE = Map.of(
      "module-info.java", """
          module org.example.fresh {
            requires org.varflow.solvers;
            provides org.varflow.api.solve.Solver with org.example.fresh.FreshNoise;
          }
          """,
      "org/example/fresh/FreshNoise.java", """
          package org.example.fresh;

          import java.util.Map;
          import java.util.Random;
          import org.varflow.api.solve.SolveContext;
          import org.varflow.api.tensor.Tensor;
          import org.varflow.solvers.stepping.TimeStepper;

          public final class FreshNoise extends TimeStepper {
            public String id() { return "fresh-noise"; }
            public String description() { return "Euler with noise from new Random()"; }
            protected Step start(SolveContext c, double h) {
              Map<String, Tensor> state = c.flow().state();
              Random random = new Random();
              return (k, eval) -> eval.velocity().forEach((name, v) -> {
                Tensor theta = state.get(name);
                Tensor noise = theta.factory().normal(theta.precision(), random.nextLong(), 0, 0.01, theta.shape());
                theta.axpyi(h, v).addi(noise);
                Tensor.releaseAll(v, noise);
              });
            }
          }
          """);

  @TempDir
  Path tmp;

  /** @return what a solver plugin compiles against: the api and the solvers module */
  private static List<Path> solverApi() throws Exception {
    return List.of(PluginJars.api(), PluginJars.location(new Plugins().registry().solver("explicit-euler")));
  }

  @Test
  void theExampleMidpointSolverPassesWithOrderTwo() throws Exception {
    Cli cli = Cli.run("kit", PluginJars.build(tmp.resolve("midpoint.jar"), "1.0.0", MIDPOINT, solverApi()).toString(),
        "--order", "2");
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isZero();
    for (String backend : List.of("jvm", "nd4j-cpu")) {
      assertThat(cli.out()).contains("pass  solver midpoint: tensorsAreReleased on " + backend,
          "pass  solver midpoint: resumesBitForBit on " + backend, "pass  solver midpoint: hasOrder on " + backend);
    }
    assertThat(cli.out()).endsWith("6 passed, 0 failed, 0 skipped\n");
  }

  @Test
  void aPathNormPassesTheRegularizerKit() throws Exception {
    Path jar = PluginJars.build(tmp.resolve("path-norm.jar"), "1.0.0", RegularizerPluginTest.PATH_NORM,
        List.of(PluginJars.api()));
    Cli cli = Cli.run("kit", jar.toString());
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isZero();
    assertThat(cli.out()).contains("pass  regularizer path-norm: velocityIsMinusTheGradient on jvm",
        "pass  regularizer path-norm: tensorsAreReleased on nd4j-cpu", "pass  regularizer path-norm: backendsAgree");
  }

  @Test
  void aSolverWithNoiseFromAFreshGeneratorFails() throws Exception {
    Cli cli = Cli.run("kit", PluginJars.build(tmp.resolve("fresh.jar"), "1.0.0", FRESH_NOISE, solverApi()).toString());
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isEqualTo(1);
    assertThat(cli.out()).contains("pass  solver fresh-noise: tensorsAreReleased on jvm",
        "fail  solver fresh-noise: resumesBitForBit on jvm: solver 'fresh-noise' on jvm, flow 'logistic': a solve"
        + " resumed at step 5", "context.seed(stream, k)", "skip  solver fresh-noise: hasOrder: no order claimed",
        "2 passed, 2 failed, 1 skipped");
  }

  @Test
  void theCommandHasHelp() {
    for (String[] args : new String[][] {{"kit", "--help"}, {"help", "kit"}}) {
      Cli cli = Cli.run(args);
      assertThat(cli.exitCode()).as(String.join(" ", args)).isZero();
      assertThat(cli.out()).startsWith("Usage: varflow kit").contains("JAR", "--order=P");
    }
  }

  @Test
  void aBadJarIsExitTwoWithOneLine() throws Exception {
    Cli missing = Cli.run("kit", tmp.resolve("missing.jar").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).startsWith("error: JAR: " + tmp.resolve("missing.jar") + ": no such file\n")
        .doesNotContain("\tat ");

    Path text = Files.writeString(tmp.resolve("text.jar"), "not a jar");
    Cli notJar = Cli.run("kit", text.toString());
    assertThat(notJar.exitCode()).isEqualTo(2);
    assertThat(notJar.err()).startsWith("error: JAR: " + text + ": not a jar file");

    Path empty = PluginJars.build(tmp.resolve("empty.jar"), "1.0.0", Map.of("module-info.java", "module org.example.empty {}"),
        List.of());
    Cli none = Cli.run("kit", empty.toString());
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).startsWith("error: " + empty + " provides no varflow plugin");
  }
}
