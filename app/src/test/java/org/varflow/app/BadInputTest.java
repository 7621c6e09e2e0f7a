package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
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

  /** Exit code 2, exactly one line naming the key or file, and no run directory. */
  private void assertBad(Cli cli, String message) {
    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(2);
    assertThat(cli.err()).isEqualTo("error: " + message + "\n");
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  private static final String INSTALL = "; put the jar of the plugin that provides it into ./plugins/ (or --plugins DIR),"
      + " or its module on the module path";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
    "solver.stpes=3 | solver.stpes: unknown key (known here: kind, step, steps, time, record_every, checkpoint_every)",
    "solver.step=-1 | solver.step: must be > 0, got -1",
    "seed=x | seed: expected a whole number, got 'x'",
    "seed=123456789012345678901234567890 | seed: 123456789012345678901234567890 does not fit in 64 bits (at most"
        + " 9223372036854775807)",
    "discretization.width=3e9 | discretization.width: 3000000000 is out of range (at most 2147483647)",
    "model.activation=gelu | model.activation: 'gelu' is not one of relu, tanh, sigmoid, sin",
    "precision=float16 | precision: 'float16' is not one of float64, float32",
    "model.kind=mlp | model.kind: 'mlp' is not one of flow, two-layer, random-features, density (the installed ones)",
    "regularizers=[{kind: l1, strength: 1}] | regularizers[0].kind: 'l1' is not one of weight-decay, tikhonov, sobolev, entropy"
        + " (the installed ones)",
    "regularizers=[{kind: weight-decay}] | regularizers[0].strength: is required (the factor multiplying the functional)",
    "data.train.n=0 | data.train.n: must be ≥ 1, got 0",
    "model={kind: density, domain: {lower: [-1, -1], upper: [1, 1, 1]}} | model.domain.lower: needs d + 1 = 3 numbers"
        + " (θ = (w, b)), got 2",
    "model={kind: density, weight: {kind: gaussian, scale: 0}} | model.weight.scale: must be > 0, got 0",
    "regularizers=[{kind: sobolev, strength: 1, l2: -1}] | regularizers[0].l2: must be ≥ 0, got -1",
    "model={kind: density, domain: {kind: sphere}} | model.domain.kind: 'sphere' is not one of box, circle",
    "model={kind: density, domain: {kind: circle, lower: [-1, 0], upper: [1, 2]}} | model.domain.lower: needs 1 number"
        + " (the range of b), got 2",
    "model={kind: density, domain: {kind: circle, radius: -1}} | model.domain.radius: must be > 0, got -1",
    "model={kind: density, domain: {kind: circle, lower: [1], upper: [0]}} | model.domain.lower: need a finite range of"
        + " b, lower < upper, got 1.0 and 0.0",
    "solver.step=.nan | solver.step: must be a finite number, got .nan",
    "solver.step=-.inf | solver.step: must be a finite number, got -.inf",
    "solver.step=NaN | solver.step: must be a finite number, got NaN",
    "seed=.inf | seed: must be a finite number, got .inf",
    "model={kind: density, domain: {lower: [-1, .inf]}} | model.domain.lower[1]: must be a finite number, got .inf",
    "solver.steps=2000000000000 | solver.steps: must be in [0, 1000000000000], got 2000000000000",
    "solver={time: 1e300} | solver.time: time/step = 1.0E300 / 0.1 = 1.00e+301 steps, more than the 10^12 a run"
        + " takes; give a shorter solver.time or a larger solver.step",
    "solver={step: 1e-300, time: 1} | solver.time: time/step = 1.0 / 1.0E-300 = 1.00e+300 steps, more than the 10^12 a"
        + " run takes; give a shorter solver.time or a larger solver.step",
    "solver={kind: implicit-euler, time: 1e300} | solver.time: time/step = 1.0E300 / 0.1 = 1.00e+301 steps, more than"
        + " the 10^12 a run takes; give a shorter solver.time or a larger solver.step",
    "solver={steps: 3, time: 1} | solver.time: give either steps or time, not both",
    "regularizers[99999999999].strength=1 | --set regularizers[99999999999].strength: 'regularizers' has no element"
        + " 99999999999 (it has 0; index 0 appends one)",
    "solver.step.=1 | --set solver.step.: an empty name in the key; a key is names joined by single dots, each with"
        + " list indices if any, e.g. regularizers[0].strength",
    "solver..step=1 | --set solver..step: an empty name in the key; a key is names joined by single dots, each with"
        + " list indices if any, e.g. regularizers[0].strength"})
  void badValuesExitWith2NamingTheKey(String override, String message) throws Exception {
    assertBad(runSpec(GOOD, "--set", override), message);
  }

  @Test
  void unknownPluginIdsNameTheKeyAndWhatIsInstalled() throws Exception {
    assertBad(runSpec(GOOD, "--set", "discretization.kind=voronoi"), "discretization.kind: no discretization with id"
        + " 'voronoi' (installed: particles, smoothed-particles, conic-particles, spectral, grid, resnet,"
        + " flow-random-features, random-features, kernel)" + INSTALL);
    assertBad(runSpec(GOOD, "--set", "solver.kind=adam"), "solver.kind: no solver with id 'adam' (installed:"
        + " explicit-euler, implicit-euler, stationary, heun, sgd, langevin, sav)" + INSTALL);
  }

  @Test
  void backendIdsNothingProvidesNameTheKey() throws Exception {
    for (String[] args : new String[][] {{"--set", "backend=tpu"}, {"--backend", "tpu"}}) {
      Cli cli = runSpec(GOOD, args);
      assertThat(cli.exitCode()).isEqualTo(2);
      assertThat(cli.err()).startsWith("error: backend: no backend with id 'tpu' (installed: ")
          .endsWith("module path\n").hasLineCount(1);
    }
  }

  /** Generated inputs fill one array of n·d numbers: more than an array holds stops before anything is drawn. */
  @ParameterizedTest
  @CsvSource({"858993460, 10", "65536, 65536"})
  void generatedDataLargerThanAnArrayNamesTheKey(int n, int d) throws Exception {
    assertBad(runSpec(GOOD, "--set", "data.train.n=" + n, "--set", "data.train.d=" + d), "data.train.n: n·d = " + n
        + "·" + d + " = " + (long) n * d + " inputs, more than an array holds (2147483647); use a smaller n or d");
  }

  /** A YAML error is one line naming the file and the line where the parser stopped, and what it was reading. */
  @Test
  void yamlSyntaxErrorIsOneLineNamingFileAndLine() throws Exception {
    String file = tmp.resolve("spec.yaml").toString();
    assertBad(runSpec("backend: jvm\ndata:\n  train: {generator: sines\nsolver: [\n"), file + ":4: invalid YAML:"
        + " expected ',' or '}', but got : (while parsing a flow mapping that starts at line 3)");
    assertBad(runSpec("backend: jvm\ndata:\n  train: {generator: sines, n: 50, d: 2}\nsolver: {steps: 2}\n seed: 1\n"),
        file + ":5: invalid YAML: expected <block end>, but found '<block mapping start>' (while parsing a block"
        + " mapping that starts at line 1)");
    assertBad(runSpec("backend: jvm\ndata:\n  train: {generator: sines, n: 50, d: 2}\nsolver:\n  steps: 2\n"
        + "   step: 1\n"), file + ":6: invalid YAML: mapping values are not allowed here");
    assertBad(runSpec("backend: jvm\n\tseed: 1\n"), file + ":2: invalid YAML: found character '\\t(TAB)' that cannot"
        + " start any token. (Do not use \\t(TAB) for indentation) (while scanning for the next token)");
    assertBad(runSpec("- backend: jvm\n"), file + ":1: a spec is a mapping of keys to values (key: value lines), got a"
        + " list");
  }

  /** A spec is one YAML document: more content after {@code ---} is an error, not silently left out. */
  @Test
  void aSecondYamlDocumentIsAnError() throws Exception {
    assertBad(runSpec(GOOD + "---\nseed: 3\n"), tmp.resolve("spec.yaml") + ":7: a second YAML document (after ---);"
        + " a spec is one document");
    assertThat(runSpec(GOOD + "---\n").exitCode()).isZero();
  }

  @Test
  void numbersThatAreNotFiniteInTheFileNameTheKey() throws Exception {
    assertBad(runSpec(GOOD.replace("{steps: 2}", "{steps: 2, step: .nan}")), "solver.step: must be a finite number,"
        + " got .nan");
    assertBad(runSpec(GOOD + "regularizers:\n  - {kind: weight-decay, strength: -.Inf}\n"), "regularizers[0].strength:"
        + " must be a finite number, got -.Inf");
  }

  /** A command line picocli cannot parse is one line and a hint, not the whole usage. */
  @Test
  void aBadCommandLineIsOneLineAndAHint() {
    Cli option = Cli.run("run", "--frobnicate");
    assertThat(option.exitCode()).isEqualTo(2);
    assertThat(option.err()).isEqualTo("error: Unknown option: '--frobnicate'\ntry 'varflow run --help'\n");
    Cli missing = Cli.run("run", "--out");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).isEqualTo("error: Missing required parameter for option '--out' (DIR)\ntry 'varflow run"
        + " --help'\n");
  }

  @Test
  void aKeyGivenTwiceNamesBothLines() throws Exception {
    assertBad(runSpec(GOOD + "solver: {steps: 3}\n"),
        tmp.resolve("spec.yaml") + ":6: duplicate key 'solver' (first given at line 5)");
  }

  @Test
  void aPluginDirectoryThatDoesNotExistIsAnError() {
    Cli cli = Cli.run("--plugins", tmp.resolve("nope").toString(), "plugins");
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).isEqualTo("error: --plugins: " + tmp.resolve("nope") + " is not a directory\ntry 'varflow"
        + " --help'\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"run", "check", "plugins", "schema", "bench"})
  void everyCommandHasHelp(String command) {
    for (String[] args : new String[][] {{command, "--help"}, {"help", command}}) {
      Cli cli = Cli.run(args);
      assertThat(cli.exitCode()).as(String.join(" ", args)).isZero();
      assertThat(cli.out()).startsWith("Usage: varflow " + command);
    }
  }

  @Test
  void circleDomainNeedsPlanarInputs() throws Exception {
    assertBad(runSpec(GOOD, "--set", "data.train.d=3", "--set", "model={kind: density, domain: {kind: circle}}"),
        "model.domain.kind: circle puts w on a circle in R², but the data have d = 3");
  }

  @Test
  void csvWithNaNOrAMissingColumnNamesFileAndLine() throws Exception {
    Files.writeString(tmp.resolve("d.csv"), "x1,x2,label\n1,2,3\n4,NaN,6\n");
    assertBad(runSpec(GOOD.replace("{generator: sines, n: 50, d: 2}", "{csv: d.csv, target: label}")),
        tmp.resolve("d.csv") + ":3: column 'x2' is NaN; data must be finite");
    assertBad(runSpec(GOOD.replace("{generator: sines, n: 50, d: 2}", "{csv: d.csv, target: y}")),
        tmp.resolve("d.csv") + ":1: no column 'y' in header x1,x2,label");
  }

  /** A column name given twice would make a duplicated target an input: the label would leak into the inputs. */
  @Test
  void csvWithADuplicateColumnNameNamesFileAndColumn() throws Exception {
    Files.writeString(tmp.resolve("d.csv"), "x1,label,label\n1,2,2\n4,5,5\n");
    assertBad(runSpec(GOOD.replace("{generator: sines, n: 50, d: 2}", "{csv: d.csv, target: label}")),
        tmp.resolve("d.csv") + ":1: column 'label' appears twice in the header (columns 2 and 3); column names must be"
        + " unique");
  }

  @Test
  void missingOrMisshapenFilesAreNamed() throws Exception {
    String npy = GOOD.replace("{generator: sines, n: 50, d: 2}", "{x: X.npy, y: y.npy}");
    assertBad(runSpec(npy), tmp.resolve("X.npy") + ": file not found");
    Npy.write(tmp.resolve("X.npy"), new double[12], new int[] {6, 2}, Precision.FLOAT64);
    Npy.write(tmp.resolve("y.npy"), new double[5], new int[] {5}, Precision.FLOAT64);
    assertBad(runSpec(npy), tmp.resolve("y.npy") + ": expected shape (6) to match X.npy, got [5]");
    Npy.write(tmp.resolve("a.npy"), new double[4], new int[] {4}, Precision.FLOAT64);
    Npy.write(tmp.resolve("W.npy"), new double[12], new int[] {4, 3}, Precision.FLOAT64);
    assertBad(runSpec(GOOD, "--set", "discretization.init={npy: " + tmp + "}"),
        tmp.resolve("W.npy") + ": expected shape (4, 2) (width from a.npy; d = input dimension, including the bias"
        + " column when bias: true), got [4, 3]");
  }

  /** Data without points or inputs, a cut-off file, and a NaN in initial values are bad input, not a divergence. */
  @Test
  void emptyCutOffOrNonFiniteArraysAreNamed() throws Exception {
    String npy = GOOD.replace("{generator: sines, n: 50, d: 2}", "{x: X.npy, y: y.npy}");
    Npy.write(tmp.resolve("X.npy"), new double[0], new int[] {0, 2}, Precision.FLOAT64);
    Npy.write(tmp.resolve("y.npy"), new double[0], new int[] {0}, Precision.FLOAT64);
    assertBad(runSpec(npy), tmp.resolve("X.npy") + ": has shape [0, 2]; data need at least one point and one input column");
    Npy.write(tmp.resolve("X.npy"), new double[0], new int[] {5, 0}, Precision.FLOAT64);
    Npy.write(tmp.resolve("y.npy"), new double[5], new int[] {5}, Precision.FLOAT64);
    assertBad(runSpec(npy), tmp.resolve("X.npy") + ": has shape [5, 0]; data need at least one point and one input column");
    Npy.write(tmp.resolve("X.npy"), new double[10], new int[] {5, 2}, Precision.FLOAT64);
    byte[] whole = Files.readAllBytes(tmp.resolve("X.npy"));
    Files.write(tmp.resolve("X.npy"), Arrays.copyOf(whole, 60));
    assertBad(runSpec(npy), tmp.resolve("X.npy") + ": truncated: the header is cut off (60 bytes in all)");
    Files.write(tmp.resolve("X.npy"), Arrays.copyOf(whole, whole.length - 8));
    assertBad(runSpec(npy), tmp.resolve("X.npy") + ": truncated: header says 10 elements of 8 bytes, file has 72 data bytes");
    Npy.write(tmp.resolve("a.npy"), new double[] {1, Double.NaN, 2, 3}, new int[] {4}, Precision.FLOAT64);
    Npy.write(tmp.resolve("W.npy"), new double[8], new int[] {4, 2}, Precision.FLOAT64);
    assertBad(runSpec(GOOD, "--set", "discretization.init={npy: " + tmp + "}"),
        tmp.resolve("a.npy") + ": element [1] is NaN; values must be finite");
    Files.writeString(tmp.resolve("d.csv"), "label\n1\n2\n");
    assertBad(runSpec(GOOD.replace("{generator: sines, n: 50, d: 2}", "{csv: d.csv, target: label}")),
        tmp.resolve("d.csv") + ":1: has no input columns besides 'label'");
  }

  @Test
  void resumeTakesARunDirectoryAndNothingElse() throws Exception {
    assertBad(Cli.run("run", "--resume", tmp.resolve("nope").toString()),
        "--resume: " + tmp.resolve("nope") + " is not a run directory (it holds no spec.yaml)");
    assertBad(runSpec(GOOD, "--resume", tmp.toString()),
        "--resume: continues the run as it was specified: no SPEC, --set, --backend, --out or --force with it");
    assertBad(runSpec(GOOD, "--set", "solver={kind: stationary, checkpoint_every: 5}"),
        "solver.checkpoint_every: unknown key (known here: kind, method, cholesky_max, tolerance, max_iterations)");
  }

  /**
   * A flow larger than the backend's free memory stops before anything is allocated, naming the size option
   * and both amounts: 10⁹ particles in blocks of β = 83886 (their 3 n×β activations for 50 points are 101 MB) need
   * their five m×(d+1) arrays, 160 GB in float64.
   */
  @Test
  void aFlowTooLargeForTheBackendIsRefusedBeforeAllocating() throws Exception {
    for (String backend : List.of("jvm", "nd4j-cpu")) {
      Cli cli = runSpec(GOOD, "--set", "discretization.width=1000000000", "--set", "backend=" + backend);
      assertThat(cli.exitCode()).isEqualTo(2);
      assertThat(cli.err()).matches("error: discretization.width: the flow needs about 160 GB \\(3 n×β activations,"
          + " n = 50, m = 1000000000, β = 83886\\), more than the [0-9.]+ [kMG]B backend '" + backend + "' has free;"
          + " use a smaller size, float32, or more memory \\(VARFLOW_JAVA_OPTS=-Xmx…\\)\n");
      assertThat(tmp.resolve("out")).doesNotExist();
    }
    Cli kernel = runSpec(GOOD.replace("discretization: {width: 4}", "discretization: {kind: kernel}")
        .replace("n: 50, d: 2", "n: 300000, d: 2"), "--set", "model.kind=random-features",
        "--set", "regularizers=[{kind: tikhonov, strength: 0.01}]", "--set", "solver={kind: stationary}");
    assertThat(kernel.exitCode()).isEqualTo(2);
    assertThat(kernel.err()).startsWith("error: data.train: the flow needs about 1.44 TB (the n×n kernel matrix and"
        + " operator, n = 300000), more than the ");
  }

  @Test
  void missingSpecFileAndUnknownCommand() {
    Cli cli = Cli.run("run", tmp.resolve("nope.yaml").toString());
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).isEqualTo("error: " + tmp.resolve("nope.yaml") + ": spec file not found\n");
    Cli unknown = Cli.run("frobnicate");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).isEqualTo("error: Unmatched argument at index 0: 'frobnicate'\ntry 'varflow --help'\n");
  }
}
