package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varflow.api.io.Npy;
import org.varflow.api.tensor.Precision;

/** Bad specs and data exit with code 2 and one message naming the key or file (and line). */
class BadInputTest {
  @TempDir
  Path tmp;

  private Cli runSpec(String yaml, String... more) throws Exception {
    Path spec = tmp.resolve("spec.yaml");
    Files.writeString(spec, yaml);
    String[] args = new String[more.length + 4];
    args[0] = "run";
    args[1] = spec.toString();
    args[2] = "--out";
    args[3] = tmp.resolve("out").toString();
    System.arraycopy(more, 0, args, 4, more.length);
    return Cli.run(args);
  }

  private static final String GOOD = """
      backend: jvm
      data:
        train: {generator: sines, n: 50, d: 2}
      discretization: {width: 4}
      solver: {steps: 2}
      """;

  @Test
  void theGoodSpecRuns() throws Exception {
    assertThat(runSpec(GOOD).exitCode()).isZero();
  }

  @Test
  void unknownKeyIsNamedAndNothingIsWritten() throws Exception {
    Cli cli = runSpec(GOOD, "--set", "solver.stpes=3");
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).isEqualTo("error: solver.stpes: unknown key (known here: kind, step, steps, time, record_every)\n");
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  @Test
  void yamlSyntaxErrorNamesFileAndLine() throws Exception {
    Cli cli = runSpec("backend: jvm\ndata:\n  train: {generator: sines\nsolver: [\n");
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).containsPattern("error: .*spec.yaml:\\d+: invalid YAML");
  }

  @Test
  void badValuesNameTheKey() throws Exception {
    assertThat(runSpec(GOOD, "--set", "solver.step=-1").err()).isEqualTo("error: solver.step: must be > 0, got -1\n");
    assertThat(runSpec(GOOD, "--set", "model.activation=gelu").err())
        .isEqualTo("error: model.activation: 'gelu' is not one of relu, tanh, sigmoid, sin\n");
    assertThat(runSpec(GOOD, "--set", "precision=float16").err()).startsWith("error: precision: ");
    assertThat(runSpec(GOOD, "--set", "discretization.kind=voronoi").err())
        .contains("no discretization with id 'voronoi' (installed: ", "into ./plugins/").doesNotContain("org.varflow");
    assertThat(runSpec(GOOD, "--set", "regularizers=[{kind: weight-decay}]").err())
        .isEqualTo("error: regularizers[0].strength: is required (the factor multiplying the functional)\n");
  }

  @Test
  void densityDomainMustMatchTheParameterDimension() throws Exception {
    Cli cli = runSpec(GOOD, "--set", "model={kind: density, domain: {lower: [-1, -1], upper: [1, 1, 1]}}");
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).isEqualTo("error: model.domain.lower: needs d + 1 = 3 numbers (θ = (w, b)), got 2\n");
    assertThat(runSpec(GOOD, "--set", "model={kind: density, weight: {kind: gaussian, scale: 0}}").err())
        .isEqualTo("error: model.weight.scale: must be > 0, got 0\n");
    assertThat(runSpec(GOOD, "--set", "regularizers=[{kind: sobolev, strength: 1, l2: -1}]").err())
        .isEqualTo("error: regularizers[0].l2: must be ≥ 0, got -1\n");
  }

  @Test
  void circleDomainsNeedPlanarInputsARadiusAndOneBiasRange() throws Exception {
    assertThat(runSpec(GOOD, "--set", "model={kind: density, domain: {kind: sphere}}").err())
        .isEqualTo("error: model.domain.kind: 'sphere' is not one of box, circle\n");
    assertThat(runSpec(GOOD, "--set", "model={kind: density, domain: {kind: circle, lower: [-1, 0], upper: [1, 2]}}").err())
        .isEqualTo("error: model.domain.lower: needs 1 number (the range of b), got 2\n");
    assertThat(runSpec(GOOD, "--set", "model={kind: density, domain: {kind: circle, radius: -1}}").err())
        .isEqualTo("error: model.domain.radius: must be > 0, got -1\n");
    assertThat(runSpec(GOOD, "--set", "model={kind: density, domain: {kind: circle, lower: [1], upper: [0]}}").err())
        .isEqualTo("error: model.domain.lower: need a finite range of b, lower < upper, got 1.0 and 0.0\n");
    Cli line = runSpec(GOOD, "--set", "data.train.d=3", "--set", "model={kind: density, domain: {kind: circle}}");
    assertThat(line.exitCode()).isEqualTo(2);
    assertThat(line.err()).isEqualTo("error: model.domain.kind: circle puts w on a circle in R², but the data have d = 3\n");
  }

  @Test
  void csvWithNaNNamesFileAndLine() throws Exception {
    Files.writeString(tmp.resolve("d.csv"), "x1,x2,label\n1,2,3\n4,NaN,6\n");
    Cli cli = runSpec(GOOD.replace("{generator: sines, n: 50, d: 2}", "{csv: d.csv, target: label}"));
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).contains("d.csv:3: column 'x2' is NaN");
    Files.writeString(tmp.resolve("d.csv"), "x1,x2,label\n1,2,3\n4,oops,6\n");
    assertThat(runSpec(GOOD.replace("{generator: sines, n: 50, d: 2}", "{csv: d.csv, target: y}")).err())
        .contains("d.csv:1: no column 'y'");
  }

  @Test
  void missingOrMisshapenFilesAreNamed() throws Exception {
    Cli cli = runSpec(GOOD.replace("{generator: sines, n: 50, d: 2}", "{x: X.npy, y: y.npy}"));
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).contains("X.npy: cannot read");
    Npy.write(tmp.resolve("X.npy"), new double[12], new int[] {6, 2}, Precision.FLOAT64);
    Npy.write(tmp.resolve("y.npy"), new double[5], new int[] {5}, Precision.FLOAT64);
    assertThat(runSpec(GOOD.replace("{generator: sines, n: 50, d: 2}", "{x: X.npy, y: y.npy}")).err())
        .contains("y.npy: expected shape (6) to match X.npy, got [5]");
    Npy.write(tmp.resolve("a.npy"), new double[4], new int[] {4}, Precision.FLOAT64);
    Npy.write(tmp.resolve("W.npy"), new double[12], new int[] {4, 3}, Precision.FLOAT64);
    assertThat(runSpec(GOOD, "--set", "discretization.init={npy: " + tmp + "}").err())
        .contains("W.npy: expected shape (4, 2)");
  }

  @Test
  void missingSpecFileAndUnknownCommand() {
    Cli cli = Cli.run("run", tmp.resolve("nope.yaml").toString());
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).contains("nope.yaml: spec file not found");
    assertThat(Cli.run("frobnicate").exitCode()).isEqualTo(2);
  }
}
