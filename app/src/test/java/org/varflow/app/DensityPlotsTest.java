package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.varflow.api.io.Npy;

/**
 * The plots of density runs (k ≤ 2) and the exported network trained by a nested particles run, through the
 * command line (their geometry: the runtime's HeatmapTest).
 */
class DensityPlotsTest {
  /** The bundled density example (d = 1, Ω = [−4, 4]² ∋ (w, b), a grid solved in one step) on the jvm backend. */
  private static final String GRID = "backend: jvm\n" + example("density.yaml");
  private static final String TRAINED = GRID + "export: {network_width: 300, train: {steps: 40, step: 0.5}}\n";

  @TempDir
  Path tmp;

  private static String example(String name) {
    try {
      return Files.readString(ProjectRoot.resolve("examples").resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path write(String name, String yaml) throws Exception {
    Path spec = tmp.resolve(name + ".yaml");
    Files.writeString(spec, yaml);
    return spec;
  }

  private Cli run(String yaml, Path out, String... more) throws Exception {
    String[] args = RunCommandTest.args(new String[] {"run", write("spec", yaml).toString(), "--out", out.toString()}, more);
    return Cli.run(args);
  }

  /** Decodes a plot; plots are 800×640 PNGs. */
  private static BufferedImage png(Path file) throws Exception {
    BufferedImage image = ImageIO.read(file.toFile());
    assertThat(image).as("%s decodes", file).isNotNull();
    assertThat(image.getWidth()).isEqualTo(800);
    assertThat(image.getHeight()).isEqualTo(640);
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
        .isEqualTo("[\"plots/history.png\",\"plots/density.png\",\"plots/density-network.png\"]");

    // the nested run directory repeats itself from its own spec.yaml
    Path again = tmp.resolve("again");
    Cli rerun = Cli.run("run", nested.resolve("spec.yaml").toString(), "--out", again.toString());
    assertThat(rerun.exitCode()).as(rerun.err()).isZero();
    assertThat(json(again.resolve("summary.json")).at("/final/train_risk").asDouble()).isEqualTo(trained);
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

  /** k = 3 is legal, and plots of the density are only made for k ≤ 2: the run has its history plot alone. */
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
    try (var plots = Files.list(dir.resolve("plots"))) {
      assertThat(plots.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("history.png", "history.svg");
    }
    assertThat(json(dir.resolve("summary.json")).get("plots").toString()).isEqualTo("[\"plots/history.png\"]");
    assertThat(cli.out()).doesNotContain("density.png");
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
