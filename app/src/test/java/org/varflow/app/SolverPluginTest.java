package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varflow.api.io.Npy;
import org.varflow.app.plugins.Plugins;

/**
 * Solvers written outside varflow on its time-stepper base, built as their authors would (javac and jar against the
 * api and the solvers module only) and dropped into a plugin directory: the example Midpoint solver converges at order
 * 2; a stochastic stepper with state of its own and a history column resumes after SIGKILL to the numbers of a run
 * never stopped — its noise from the run's seed, its state from the checkpoint.
 */
class SolverPluginTest {
  private static final Path MIDPOINT = ProjectRoot.resolve("examples/plugins/midpoint/src/main/java");
  private static final String[] SMALL = {"--set", "backend=jvm", "--set", "data.train.n=100", "--set",
    "data.test.n=50", "--set", "discretization.width=8", "--set", "model.activation=tanh"};

  /** A stepper with a seeded noise θ ← θ + h·v + √(2τh)·ξ_k and a count of its steps kept as solver state. */
  private static final Map<String, String> NOISY = Map.of(
      "module-info.java", """
          module org.example.noisy {
            requires org.varflow.solvers;
            provides org.varflow.api.solve.Solver with org.example.noisy.NoisyEuler;
          }
          """,
      "org/example/noisy/NoisyEuler.java", """
          package org.example.noisy;

          import java.util.Map;
          import org.varflow.api.OptionSchema;
          import org.varflow.api.flow.Evaluation;
          import org.varflow.api.solve.SolveContext;
          import org.varflow.api.tensor.Tensor;
          import org.varflow.solvers.stepping.TimeStepper;

          public final class NoisyEuler extends TimeStepper {
            public String id() { return "noisy-euler"; }
            public String description() { return "Euler-Maruyama with a count of its steps"; }
            public OptionSchema options() {
              return declare(OptionSchema.builder()).number("temperature", 1e-3, "tau").atLeast(0).build();
            }
            protected Step start(SolveContext c, double h) {
              double tau = c.options().getDouble("temperature");
              Map<String, Tensor> state = c.flow().state();
              double[] kicks = c.state().get("kicks").orElse(new double[] {0});
              return new Step() {
                public void advance(long k, Evaluation eval) {
                  eval.velocity().forEach((name, v) -> {
                    Tensor theta = state.get(name);
                    Tensor noise = theta.factory().normal(theta.precision(), c.seed("noise-" + name, k), 0,
                        Math.sqrt(2 * tau * h), theta.shape());
                    theta.axpyi(h, v).addi(noise);
                    Tensor.releaseAll(v, noise);
                  });
                  kicks[0]++;
                  c.state().put("kicks", kicks);
                }
                public Map<String, Double> columns(long k, Evaluation eval) {
                  return Map.of("kicks", kicks[0]);
                }
              };
            }
          }
          """);

  @TempDir
  Path tmp;

  private Path plugins() throws Exception {
    Path solvers = PluginJars.location(new Plugins().registry().solver("explicit-euler"));
    Path dir = tmp.resolve("plugins");
    List<Path> against = List.of(PluginJars.api(), solvers);
    PluginJars.build(dir.resolve("midpoint.jar"), "1.0.0", MIDPOINT, against);
    PluginJars.build(dir.resolve("noisy.jar"), "1.0.0", NOISY, against);
    return dir;
  }

  /** @return the final particles (a, then W) of the quickstart reduced, solved to t = 2 with {@code solver} and h */
  private double[] particles(Path plugins, String solver, double h) throws Exception {
    Path out = tmp.resolve(solver + "-" + h);
    Cli cli = Cli.run(RunCommandTest.args(new String[] {"--plugins", plugins.toString(), "run"},
        RunCommandTest.args(SMALL, "--set", "solver={kind: " + solver + ", step: " + h + ", time: 2.0}", "--out",
            out.toString())));
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    double[] a = Npy.read(out.resolve("params/a.npy")).data();
    double[] w = Npy.read(out.resolve("params/W.npy")).data();
    double[] all = java.util.Arrays.copyOf(a, a.length + w.length);
    System.arraycopy(w, 0, all, a.length, w.length);
    return all;
  }

  private static double distance(double[] x, double[] y) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += (x[i] - y[i]) * (x[i] - y[i]);
    }
    return Math.sqrt(s);
  }

  /** Halving h divides Midpoint's error at t = 2 by about 4 (order 2), explicit Euler's by about 2 (order 1). */
  @Test
  void theExampleMidpointSolverHasOrderTwo() throws Exception {
    Path plugins = plugins();
    double[] reference = particles(plugins, "midpoint", 0.2 / 64);
    double midpoint = distance(particles(plugins, "midpoint", 0.2), reference)
        / distance(particles(plugins, "midpoint", 0.1), reference);
    double euler = distance(particles(plugins, "explicit-euler", 0.2), reference)
        / distance(particles(plugins, "explicit-euler", 0.1), reference);
    System.out.printf("error ratio at h → h/2: midpoint %.3f, explicit-euler %.3f%n", midpoint, euler);
    assertThat(midpoint).isBetween(3.4, 4.6);
    assertThat(euler).isBetween(1.7, 2.3);
  }

  /**
   * The stochastic stepper killed after a checkpoint and resumed ends with the history (its own column included)
   * and parameters of a run never stopped: the noise of step k is drawn from seed("noise", k) and its step count
   * comes back from the checkpoint.
   */
  @Test
  void aStatefulSolverPluginResumesBitForBit() throws Exception {
    Path plugins = plugins();
    String[] run = RunCommandTest.args(new String[] {"--plugins", plugins.toString(), "run"}, RunCommandTest.args(SMALL,
        "--set", "solver={kind: noisy-euler, step: 0.05, steps: 6000, record_every: 50, checkpoint_every: 100}"));
    Path reference = tmp.resolve("reference");
    Cli whole = Cli.run(RunCommandTest.args(run, "--out", reference.toString()));
    assertThat(whole.exitCode()).as(whole.err()).isZero();
    List<String> history = Files.readAllLines(reference.resolve("history.csv"));
    assertThat(history.get(0)).endsWith(",kicks,wall_ms");
    assertThat(history.get(history.size() - 1)).startsWith("6000,").contains(",6000.0,");

    Path dir = tmp.resolve("killed");
    Process child = new ProcessBuilder(ChildJvm.varflow("-Xmx1g", RunCommandTest.args(run, "--out", dir.toString())))
        .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
    Path info = dir.resolve("checkpoint/checkpoint.json");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(info) || Files.size(info) == 0) {
      assertThat(child.isAlive()).as(Files.readString(tmp.resolve("child.log"))).isTrue();
      assertThat(System.nanoTime()).as("a checkpoint within 120 s").isLessThan(deadline);
      Thread.sleep(5);
    }
    child.destroyForcibly();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readAllLines(dir.resolve("history.csv")).size()).as("killed before the end")
        .isLessThan(history.size());

    Cli resumed = Cli.run("--plugins", plugins.toString(), "run", "--resume", dir.toString());
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(withoutWallTime(dir)).isEqualTo(withoutWallTime(reference));
    for (String param : List.of("a.npy", "W.npy")) {
      assertThat(Files.readAllBytes(dir.resolve("params").resolve(param))).as(param)
          .isEqualTo(Files.readAllBytes(reference.resolve("params").resolve(param)));
    }
  }

  private static List<String> withoutWallTime(Path dir) throws Exception {
    return Files.readAllLines(dir.resolve("history.csv")).stream()
        .map(line -> line.substring(0, line.lastIndexOf(','))).toList();
  }
}
