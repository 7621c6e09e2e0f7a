package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varflow.api.io.Npy;
import org.varflow.api.tensor.Precision;
import org.varflow.app.plugins.Plugins;

/**
 * The SPI the mean-field plugins stand on, tried from outside varflow with plugins built against the api and the
 * exported bases only: a variant of the particle method on the exported particle flow (its hook {@code features}
 * alone: each neuron with a frozen offset, φ(w_j, x) = σ(w_j·x + β_j)). And the entropy term that {@code particles}
 * cannot compute, realized by the Langevin solver, which finds the positions through the flow's particle
 * capability: the run hands {@code particles} the rest of the problem.
 */
class ParticleFamilyPluginTest {
  private static final int M = 2000;
  private static final int P = 4; // d = 3 and a bias

  /** Each particle with a frozen offset β_j ~ N(0, s²) drawn from the seed: φ(w_j, x) = σ(w_j·x + β_j), Ψ likewise. */
  private static final Map<String, String> SHIFTED = Map.of(
      "module-info.java", """
          module org.example.shifted {
            requires org.varflow.discretization.particles;
            provides org.varflow.api.flow.Discretization with org.example.shifted.Shifted;
          }
          """,
      "org/example/shifted/Shifted.java", """
          package org.example.shifted;

          import java.util.Optional;
          import org.varflow.api.OptionSchema;
          import org.varflow.api.Options;
          import org.varflow.api.flow.*;
          import org.varflow.api.plugin.Refusal;
          import org.varflow.api.problem.*;
          import org.varflow.api.tensor.Tensor;
          import org.varflow.particles.*;

          public final class Shifted implements Discretization {
            public String id() { return "shifted"; }
            public String description() { return "particles with frozen offsets"; }
            public OptionSchema options() {
              return ParticleInit.declare(OptionSchema.builder()).number("spread", 0.5, "s").atLeast(0).build();
            }
            public Optional<Refusal> refusal(VariationalProblem p) {
              return Refusal.unlessComputes(p, "shifted", TwoLayerModel.class::isInstance,
                  ParticlePotential.class::isInstance, "particle potentials");
            }
            public DiscreteFlow discretize(VariationalProblem p, Options o, FlowContext c) {
              Tensor[] aw = ParticleInit.initial(p, o, c);
              Tensor beta = c.backend().tensors().normal(c.precision(), c.seed() + 1, 0, o.getDouble("spread"),
                  aw[0].rows());
              return new ParticleFlow(p, aw[0], aw[1], c) {
                protected Features features(Tensor x, Tensor w, int first, boolean withSlopes) {
                  Tensor offsets = beta.rows(first, first + w.rows());
                  Tensor z = x.matmul(w, false, true, 1.0).addRowVector(offsets);
                  Features f = new Features(z.activate(activation()), withSlopes ? z.activateDerivative(activation()) : null);
                  Tensor.releaseAll(z, offsets);
                  return f;
                }
                public void close() {
                  beta.release();
                  super.close();
                }
              };
            }
          }
          """);

  @TempDir
  Path tmp;

  private Path plugins() throws Exception {
    Plugins installed = new Plugins();
    Path dir = tmp.resolve("plugins");
    Path particles = PluginJars.location(installed.registry().discretization("particles"));
    PluginJars.build(dir.resolve("shifted.jar"), "1.0.0", SHIFTED, List.of(PluginJars.api(), particles));
    return dir;
  }

  private Cli run(Path plugins, Path out, String... settings) {
    return Cli.run(RunCommandTest.args(new String[] {"--plugins", plugins.toString(), "run", "--set", "backend=jvm",
        "--set", "data.train.n=40", "--set", "data.test.n=10", "--set", "data.train.d=3", "--set", "data.test.d=3",
        "--set", "model={kind: two-layer, activation: tanh, bias: true}", "--out", out.toString()}, settings));
  }

  /** With offsets of spread 0 (z + 0 = z) the shifted flow is {@code particles} to the bit. */
  @Test
  void shiftedParticlesWithoutOffsetsAreParticles() throws Exception {
    Path plugins = plugins();
    String solver = "solver={step: 0.05, steps: 40, record_every: 5}";
    Cli shifted = run(plugins, tmp.resolve("shifted"), "--set", "discretization={kind: shifted, width: 16,"
        + " spread: 0}", "--set", solver);
    Cli particles = run(plugins, tmp.resolve("particles"), "--set", "discretization={kind: particles, width: 16}",
        "--set", solver);
    assertThat(shifted.exitCode()).as(shifted.err()).isZero();
    assertThat(particles.exitCode()).as(particles.err()).isZero();
    assertThat(withoutWallTime(tmp.resolve("shifted"))).isEqualTo(withoutWallTime(tmp.resolve("particles")));
    assertThat(Files.readAllBytes(tmp.resolve("shifted/params/W.npy")))
        .isEqualTo(Files.readAllBytes(tmp.resolve("particles/params/W.npy")));
  }

  /**
   * With offsets of spread 0.3 the base's velocity is the gradient of the shifted energy: one step of h changes the
   * energy by −(1/m)|θ₁ − θ₀|²/h (fails when the hook's slope is taken without the offsets).
   */
  @Test
  void theShiftedVelocityIsTheGradientOfTheShiftedEnergy() throws Exception {
    Path out = tmp.resolve("step");
    double h = 1e-6;
    int m = 6;
    Path init = initialParticles(m, 5);
    Cli cli = run(plugins(), out, "--set", "discretization={kind: shifted, spread: 0.3, init: {npy: "
        + init + "}}", "--set", "regularizers=[{kind: weight-decay, strength: 0.01}]", "--set",
        "solver={step: " + h + ", steps: 1, record_every: 1}");
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    List<String> lines = Files.readAllLines(out.resolve("history.csv"));
    int energy = List.of(lines.get(0).split(",")).indexOf("energy");
    double change = Double.parseDouble(lines.get(2).split(",")[energy]) - Double.parseDouble(lines.get(1).split(",")[energy]);
    double moved = squaredDistance(init.resolve("a.npy"), out.resolve("params/a.npy"))
        + squaredDistance(init.resolve("W.npy"), out.resolve("params/W.npy"));
    double predicted = -moved / h / m;
    assertThat(change).isCloseTo(predicted, within(1e-3 * Math.abs(predicted)));
  }

  /**
   * {@code particles} cannot compute an entropy: with explicit Euler the run is refused naming the key and the
   * solvers that realize it; with the Langevin solver it runs, and the Langevin noise lands on every position of
   * every particle with variance 2τh (one step of a tiny h, 10⁴ coordinates: within 6%, the sample variance's
   * standard error being 1.4% and the drift's share 10⁻⁴).
   */
  @Test
  void aSolverRealizesTheEntropyThatNoDiscretizationComputes() throws Exception {
    Path plugins = plugins();
    Cli refused = run(plugins, tmp.resolve("refused"), "--set", "regularizers=[{kind: weight-decay, strength: 0.1},"
        + " {kind: entropy, temperature: 0.5}]", "--set", "discretization.width=8");
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).contains("regularizers[1].kind", "'entropy' is not supported by discretization"
        + " 'particles'", "solvers that realize 'entropy' themselves: langevin").doesNotContain("Exception");

    // the key of a term particles refuses counts the entropy before it (index 1 of the rest is regularizers[2])
    Cli tikhonov = run(plugins, tmp.resolve("tikhonov"), "--set", "regularizers=[{kind: weight-decay, strength: 0.1},"
        + " {kind: entropy, temperature: 0.5}, {kind: tikhonov, strength: 0.1}]", "--set", "discretization.width=8",
        "--set", "solver.kind=langevin");
    assertThat(tikhonov.exitCode()).isEqualTo(2);
    assertThat(tikhonov.err()).contains("regularizers[2].kind", "'tikhonov' is not supported");

    double tau = 0.5;
    double h = 1e-4;
    Path init = initialParticles(M, 9);
    Path out = tmp.resolve("langevin");
    Cli cli = run(plugins, out, "--set", "regularizers=[{kind: weight-decay, strength: 0.1}, {kind: entropy,"
        + " temperature: " + tau + "}]", "--set", "discretization={kind: particles, init: {npy: " + init + "}}", "--set",
        "solver={kind: langevin, step: " + h + ", steps: 1}");
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    for (String name : List.of("a", "W")) {
      double[] before = Npy.read(init.resolve(name + ".npy")).data();
      double[] after = Npy.read(out.resolve("params/" + name + ".npy")).data();
      double sum = 0;
      double squares = 0;
      for (int i = 0; i < before.length; i++) {
        double kick = after[i] - before[i];
        sum += kick;
        squares += kick * kick;
      }
      double variance = squares / before.length - Math.pow(sum / before.length, 2);
      double tolerance = name.equals("a") ? 0.12 : 0.06; // a has m = 2000 coordinates: standard error 3.2%
      assertThat(variance).as(name).isCloseTo(2 * tau * h, within(tolerance * 2 * tau * h));
    }
  }

  /** @return a directory with a.npy (m) and W.npy (m×P) of uniform entries in (−1, 1) */
  private Path initialParticles(int m, long seed) throws Exception {
    SplittableRandom rng = new SplittableRandom(seed);
    Path init = Files.createDirectories(tmp.resolve("init-" + m));
    Npy.write(init.resolve("a.npy"), rng.doubles(m, -1, 1).toArray(), new int[] {m}, Precision.FLOAT64);
    Npy.write(init.resolve("W.npy"), rng.doubles((long) m * P, -1, 1).toArray(), new int[] {m, P}, Precision.FLOAT64);
    return init;
  }

  private static double squaredDistance(Path x, Path y) throws Exception {
    double[] u = Npy.read(x).data();
    double[] v = Npy.read(y).data();
    double s = 0;
    for (int i = 0; i < u.length; i++) {
      s += (u[i] - v[i]) * (u[i] - v[i]);
    }
    return s;
  }

  private static List<String> withoutWallTime(Path dir) throws Exception {
    return Files.readAllLines(dir.resolve("history.csv")).stream()
        .map(line -> line.substring(0, line.lastIndexOf(','))).toList();
  }
}
