package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.varflow.api.io.Npy;
import org.varflow.app.plot.DensityPlots;
import org.varflow.app.plugins.Plugins;
import org.varflow.app.run.RunPlan;
import org.varflow.app.spec.SpecLoader;

/** The plots of density runs (k ≤ 2) and the exported network trained by a nested particles run. */
class DensityPlotsTest {
  /** d = 1: Ω = [−4, 4]² ∋ (w, b), 17 × 17 grid, solved in one step. */
  private static final String GRID = """
      seed: 5
      backend: jvm
      data:
        train: {generator: sines, n: 300, d: 1, frequency: 2.0, noise: 0.05}
        test: {generator: sines, n: 200, d: 1, frequency: 2.0}
      model: {kind: density, activation: tanh, domain: {lower: [-4, -4], upper: [4, 4]}}
      regularizers: [{kind: sobolev, strength: 1.0e-3}]
      discretization: {kind: grid, points: 17}
      solver: {kind: stationary}
      """;
  private static final String TRAINED = GRID + "export: {network_width: 300, train: {steps: 40, step: 0.5}}\n";

  @TempDir
  Path tmp;

  private Path write(String name, String yaml) throws Exception {
    Path spec = tmp.resolve(name + ".yaml");
    Files.writeString(spec, yaml);
    return spec;
  }

  private Cli run(String yaml, Path out, String... more) throws Exception {
    String[] args = RunCommandTest.args(new String[] {"run", write("spec", yaml).toString(), "--out", out.toString()}, more);
    return Cli.run(args);
  }

  private static BufferedImage png(Path file) throws Exception {
    BufferedImage image = ImageIO.read(file.toFile());
    assertThat(image).as("%s decodes", file).isNotNull();
    assertThat(image.getWidth()).isEqualTo(DensityPlots.WIDTH);
    assertThat(image.getHeight()).isEqualTo(DensityPlots.HEIGHT);
    return image;
  }

  private static JsonNode json(Path file) throws Exception {
    return new ObjectMapper().readTree(file.toFile());
  }

  @Test
  void gridRunPlotsTheDensityAndTrainsTheNetworkInANestedRun() throws Exception {
    Path dir = tmp.resolve("run");
    Cli cli = run(TRAINED, dir);
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    png(dir.resolve("plots/density.png"));
    png(dir.resolve("plots/density-network.png"));
    assertThat(cli.out()).contains("network", "sampled", "trained", "plots/density-network.png");

    Path nested = dir.resolve("network");
    assertThat(nested.resolve("spec.yaml")).content().contains("kind: particles", "bias: true", "activation: tanh");
    assertThat(Npy.read(nested.resolve("params/a.npy")).shape()).containsExactly(300);
    assertThat(Npy.read(nested.resolve("params/W.npy")).shape()).containsExactly(300, 2);
    assertThat(RunCommandTest.history(nested)).hasSize(5);
    JsonNode inner = json(nested.resolve("summary.json"));
    assertThat(inner.get("status").asText()).isEqualTo("completed");
    assertThat(inner.get("steps").asInt()).isEqualTo(40);

    JsonNode network = json(dir.resolve("summary.json")).get("network");
    double sampled = network.at("/sampled/train_risk").asDouble();
    double trained = network.at("/trained/train_risk").asDouble();
    assertThat(sampled).isEqualTo(inner.at("/initial/train_risk").asDouble());
    assertThat(trained).isEqualTo(inner.at("/final/train_risk").asDouble()).isLessThan(sampled);
    assertThat(json(dir.resolve("summary.json")).get("plots").toString())
        .isEqualTo("[\"plots/density.png\",\"plots/density-network.png\"]");

    // the nested run directory repeats itself from its own spec.yaml
    Path again = tmp.resolve("again");
    Cli rerun = Cli.run("run", nested.resolve("spec.yaml").toString(), "--out", again.toString());
    assertThat(rerun.exitCode()).as(rerun.err()).isZero();
    assertThat(json(again.resolve("summary.json")).at("/final/train_risk").asDouble()).isEqualTo(trained);
  }

  /**
   * density.png is the heatmap as {@link DensityPlots} renders the run's density (same pixels), and at the
   * pixels of the grid nodes where u* (params/u.npy, C order, b fastest) is largest and smallest it is
   * the reddest and the bluest: w runs to the right, b up.
   */
  @Test
  void heatmapPutsWRightAndBUp() throws Exception {
    Path dir = tmp.resolve("run");
    Cli cli = run(GRID, dir);
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    BufferedImage image = png(dir.resolve("plots/density.png"));

    RunPlan plan = RunPlan.prepare(SpecLoader.load(tmp.resolve("spec.yaml"), List.of()), new Plugins().registry());
    plan.solver().solve(plan.flow(), plan.solverOptions(), record -> true);
    DensityPlots.Plot plot = DensityPlots.write(tmp.resolve("plots"), plan.flow().density().orElseThrow(), "u* (grid)",
        Optional.empty()).get(0);
    BufferedImage same = png(plot.file());
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        assertThat(same.getRGB(x, y)).as("pixel (%d, %d)", x, y).isEqualTo(image.getRGB(x, y));
      }
    }

    double[] u = Npy.read(dir.resolve("params/u.npy")).data();
    int points = 17;
    int max = 0;
    int min = 0;
    for (int q = 0; q < u.length; q++) {
      max = u[q] > u[max] ? q : max;
      min = u[q] < u[min] ? q : min;
    }
    Rectangle2D area = plot.dataArea();
    int most = 0;
    int least = 0;
    for (int y = (int) Math.ceil(area.getMinY()); y < (int) area.getMaxY(); y++) {
      for (int x = (int) Math.ceil(area.getMinX()); x < (int) area.getMaxX(); x++) {
        most = Math.max(most, redness(image, x, y));
        least = Math.min(least, redness(image, x, y));
      }
    }
    assertThat(most).isGreaterThan(100);
    assertThat(least).isLessThan(-100);
    int[] atMax = pixel(area, max / points, max % points, points);
    int[] atMin = pixel(area, min / points, min % points, points);
    assertThat(redness(image, atMax[0], atMax[1])).as("at the max of u*").isGreaterThan(most - 12);
    assertThat(redness(image, atMin[0], atMin[1])).as("at the min of u*").isLessThan(least + 12);
  }

  /** Red minus blue channel: positive where u &gt; 0. */
  private static int redness(BufferedImage image, int x, int y) {
    int rgb = image.getRGB(x, y);
    return ((rgb >> 16) & 0xff) - (rgb & 0xff);
  }

  /** The pixel of grid node (i, j) = (w_i, b_j) on [−4, 4]², kept 2 px inside the data area. */
  private static int[] pixel(Rectangle2D area, int i, int j, int points) {
    double fw = (double) i / (points - 1);
    double fb = (double) j / (points - 1);
    double x = area.getMinX() + fw * area.getWidth();
    double y = area.getMaxY() - fb * area.getHeight();
    return new int[] {
      (int) Math.max(area.getMinX() + 2, Math.min(area.getMaxX() - 3, x)),
      (int) Math.max(area.getMinY() + 2, Math.min(area.getMaxY() - 3, y))};
  }

  /** d = 2 with w on the unit circle: Ω = S¹ × [−2, 2] in coordinates (ϕ, b), sampled particles on top. */
  @Test
  void circleDomainPlotsOverAngleAndBias() throws Exception {
    Path dir = tmp.resolve("run");
    Cli cli = run("""
        backend: jvm
        data:
          train: {generator: sines, n: 200, d: 2}
          test: {generator: sines, n: 100, d: 2}
        model: {kind: density, activation: tanh, domain: {kind: circle, radius: 1, lower: [-2], upper: [2]}}
        regularizers: [{kind: sobolev, strength: 1.0e-3}]
        discretization: {kind: spectral, degree: 4}
        solver: {kind: stationary}
        export: {network_width: 100}
        """, dir);
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    png(dir.resolve("plots/density.png"));
    png(dir.resolve("plots/density-network.png"));
    assertThat(dir.resolve("network")).doesNotExist();
  }

  /** k = 3 is legal, and plots are only made for k ≤ 2. */
  @Test
  void threeDimensionalDomainHasNoPlots() throws Exception {
    Path dir = tmp.resolve("run");
    Cli cli = run("""
        backend: jvm
        data:
          train: {generator: sines, n: 100, d: 2}
        model: {kind: density, activation: tanh}
        regularizers: [{kind: sobolev, strength: 1.0e-2}]
        discretization: {kind: grid, points: 5}
        solver: {kind: stationary}
        """, dir);
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(dir.resolve("params/u.npy")).exists();
    assertThat(dir.resolve("plots")).doesNotExist();
    assertThat(json(dir.resolve("summary.json")).has("plots")).isFalse();
    assertThat(cli.out()).doesNotContain("plot");
  }

  /**
   * The default step h = 0.5/max(1, Z²), Z = |a_j| of the sampled network (the w-velocity is proportional to a_j),
   * is what the nested run uses, and its energy decreases at every recorded step.
   */
  @Test
  void automaticStepScalesWithTheSquaredOuterWeight() throws Exception {
    Path dir = tmp.resolve("run");
    Cli cli = run(GRID + "export: {network_width: 200, train: {steps: 30}}\n", dir);
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    double z = Math.abs(Npy.read(dir.resolve("params/network/a.npy")).data()[0]);
    double h = 0.5 / Math.max(1, z * z);
    assertThat(json(dir.resolve("summary.json")).at("/network/trained/step").asDouble())
        .isCloseTo(h, org.assertj.core.data.Offset.offset(1e-15 * h));
    assertThat(dir.resolve("spec.yaml")).content().contains("step: auto");
    List<double[]> rows = RunCommandTest.history(dir.resolve("network"));
    for (int k = 1; k < rows.size(); k++) {
      assertThat(rows.get(k)[2]).as("energy at record %d", k).isLessThan(rows.get(k - 1)[2]);
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "export.train.steps=0    | error: export.train.steps: must be ≥ 1, got 0",
    "export.train.step=0     | error: export.train.step: must be a positive number or auto, got 0",
    "export.train.step=-1    | error: export.train.step: must be a positive number or auto, got -1",
    "export.train.step=fast  | error: export.train.step: must be a positive number or auto, got fast",
    "export.train={step: 1}  | error: export.train.steps: is required (explicit-Euler steps)",
    "export={train: {steps: 5}} | error: export.train: trains the exported network: needs export.network_width"})
  void badTrainingValuesExitWith2NamingTheKey(String override, String message) throws Exception {
    Cli cli = run(TRAINED, tmp.resolve("run"), "--set", override);
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).isEqualTo(message + "\n");
    assertThat(tmp.resolve("run")).doesNotExist();
  }

  @Test
  void divergingTrainingExitsWith3KeepingEverythingWritten() throws Exception {
    Path dir = tmp.resolve("run");
    Cli cli = run(TRAINED, dir, "--set", "export.train.step=1e9");
    assertThat(cli.exitCode()).isEqualTo(3);
    assertThat(cli.err()).containsPattern("run failed: network training diverged at step \\d+")
        .contains(dir.resolve("network").toString());
    JsonNode summary = json(dir.resolve("summary.json"));
    assertThat(summary.get("status").asText()).isEqualTo("completed");
    assertThat(summary.at("/network/trained/status").asText()).isEqualTo("diverged");
    assertThat(json(dir.resolve("network/summary.json")).get("status").asText()).isEqualTo("diverged");
    assertThat(dir.resolve("params/network/W.npy")).exists();
    png(dir.resolve("plots/density.png"));
    assertThat(dir.resolve("plots/density-network.png")).doesNotExist();
  }
}
