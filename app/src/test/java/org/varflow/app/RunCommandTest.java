package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varflow.api.io.Npy;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.api.problem.Dataset;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.TensorFactory;
import org.varflow.runtime.Run;
import org.varflow.runtime.Spec;
import org.varflow.runtime.Varflow;

/** End-to-end runs of the bundled quickstart, reduced in size, through the real command line. */
class RunCommandTest {
  private static final String[] SMALL = {
    "--set", "data.train.n=300", "--set", "data.test.n=200", "--set", "discretization.width=32", "--set", "backend=jvm"};

  @TempDir
  Path tmp;

  static String[] args(String[] base, String... more) {
    String[] all = Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  static List<double[]> history(Path dir) throws Exception {
    List<String> lines = Files.readAllLines(dir.resolve("history.csv"));
    assertThat(lines.get(0)).startsWith("step,time,energy,train_risk,test_risk,");
    assertThat(lines.get(0)).endsWith(",wall_ms");
    return lines.stream().skip(1)
        .map(l -> Arrays.stream(l.split(",", -1)).mapToDouble(c -> c.isEmpty() ? Double.NaN : Double.parseDouble(c)).toArray())
        .toList();
  }

  @Test
  void energyDecreasesAtEveryStepForASmallStep() throws Exception {
    Path dir = tmp.resolve("run");
    Cli cli = Cli.run(args(new String[] {"run"}, args(SMALL, "--set", "solver.step=0.05", "--set", "solver.steps=30",
        "--set", "solver.record_every=1", "--out", dir.toString())));
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    List<double[]> rows = history(dir);
    assertThat(rows).hasSize(31);
    for (int k = 1; k < rows.size(); k++) {
      assertThat(rows.get(k)[2]).as("energy at step %d", k).isLessThan(rows.get(k - 1)[2]);
      assertThat(rows.get(k)[1]).isCloseTo(0.05 * k, org.assertj.core.data.Offset.offset(1e-12));
    }
    assertThat(cli.out()).contains("train_risk", "test_risk", "jvm", "float64", "run directory");
  }

  @Test
  void runDirectoryHoldsResolvedSpecHistorySummaryAndParams() throws Exception {
    Path dir = tmp.resolve("run");
    Cli cli = Cli.run(args(new String[] {"run"}, args(SMALL, "--set", "solver.steps=20", "--out", dir.toString())));
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    String spec = Files.readString(dir.resolve("spec.yaml"));
    assertThat(spec).contains("record_every: 10", "a_scale: 1.0", "precision: float64", "backend: jvm");
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    assertThat(summary.get("status").asText()).isEqualTo("completed");
    assertThat(summary.get("steps").asLong()).isEqualTo(20);
    assertThat(summary.at("/plugins/discretization/id").asText()).isEqualTo("particles");
    assertThat(summary.at("/plugins/solver/id").asText()).isEqualTo("explicit-euler");
    assertThat(summary.get("seed").asLong()).isEqualTo(1);
    assertThat(summary.at("/final/test_risk").asDouble()).isPositive();
    assertThat(Npy.read(dir.resolve("params/a.npy")).shape()).containsExactly(32);
    assertThat(Npy.read(dir.resolve("params/W.npy")).shape()).containsExactly(32, 11);
    assertThat(history(dir)).hasSize(3);
  }

  /** The resolved spec.yaml reproduces the run exactly; the final params of one run continue in another. */
  @Test
  void resolvedSpecRoundTripsAndReproducesTheRun() throws Exception {
    Path first = tmp.resolve("first");
    Path second = tmp.resolve("second");
    assertThat(Cli.run(args(new String[] {"run"}, args(SMALL, "--set", "solver.steps=15", "--out", first.toString())))
        .exitCode()).isZero();
    Cli again = Cli.run("run", first.resolve("spec.yaml").toString(), "--out", second.toString());
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(Files.readString(second.resolve("spec.yaml"))).isEqualTo(Files.readString(first.resolve("spec.yaml")));
    List<double[]> h1 = history(first);
    List<double[]> h2 = history(second);
    for (int k = 0; k < h1.size(); k++) {
      assertThat(Arrays.copyOf(h2.get(k), 5)).containsExactly(Arrays.copyOf(h1.get(k), 5));
    }
    assertThat(Npy.read(second.resolve("params/W.npy")).data()).containsExactly(Npy.read(first.resolve("params/W.npy")).data());
  }

  /**
   * Relative data and init paths resolve against the spec's directory and are written absolute into the
   * resolved spec.yaml, which therefore repeats the run from anywhere.
   */
  @Test
  void relativePathsResolveAgainstTheSpecAndAreWrittenAbsolute() throws Exception {
    Path specs = Files.createDirectories(tmp.resolve("specs"));
    double[] x = new double[40];
    double[] y = new double[20];
    for (int i = 0; i < 20; i++) {
      x[2 * i] = Math.sin(i);
      x[2 * i + 1] = Math.cos(3 * i);
      y[i] = x[2 * i] * x[2 * i + 1];
    }
    Npy.write(specs.resolve("X.npy"), x, new int[] {20, 2}, Precision.FLOAT64);
    Npy.write(specs.resolve("y.npy"), y, new int[] {20}, Precision.FLOAT64);
    String base = "backend: jvm\ndata: {train: {x: X.npy, y: y.npy}}\n"
        + "solver: {steps: 4}\ndiscretization: {width: 8";
    Files.writeString(specs.resolve("first.yaml"), base + "}\n");
    Path first = tmp.resolve("first");
    assertThat(Cli.run("run", specs.resolve("first.yaml").toString(), "--out", first.toString()).exitCode()).isZero();
    assertThat(Files.readString(first.resolve("spec.yaml"))).contains("x: " + specs.resolve("X.npy"));
    Files.createDirectories(specs.resolve("start"));
    for (String name : List.of("a.npy", "W.npy")) {
      Files.copy(first.resolve("params").resolve(name), specs.resolve("start").resolve(name));
    }
    Files.writeString(specs.resolve("second.yaml"), base + ", init: {npy: start}}\n");
    Path second = tmp.resolve("second");
    Cli cont = Cli.run("run", specs.resolve("second.yaml").toString(), "--out", second.toString());
    assertThat(cont.exitCode()).as(cont.err()).isZero();
    assertThat(Files.readString(second.resolve("spec.yaml"))).contains("npy: " + specs.resolve("start"));
    Path again = tmp.resolve("again");
    Cli repeat = Cli.run("run", second.resolve("spec.yaml").toString(), "--out", again.toString());
    assertThat(repeat.exitCode()).as(repeat.err()).isZero();
    assertThat(Npy.read(again.resolve("params/W.npy")).data()).containsExactly(Npy.read(second.resolve("params/W.npy")).data());
  }

  /** 15 steps then 15 more from the saved particles equal 30 steps in one go. */
  @Test
  void initFromNpyContinuesARun() throws Exception {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    Path c = tmp.resolve("c");
    assertThat(Cli.run(args(new String[] {"run"}, args(SMALL, "--set", "solver.steps=15", "--out", a.toString()))).exitCode()).isZero();
    Cli cont = Cli.run(args(new String[] {"run"}, args(SMALL, "--set", "solver.steps=15", "--set",
        "discretization.init={npy: " + a.resolve("params") + "}", "--out", b.toString())));
    assertThat(cont.exitCode()).as(cont.err()).isZero();
    assertThat(Cli.run(args(new String[] {"run"}, args(SMALL, "--set", "solver.steps=30", "--out", c.toString()))).exitCode()).isZero();
    double[] wb = Npy.read(b.resolve("params/W.npy")).data();
    double[] wc = Npy.read(c.resolve("params/W.npy")).data();
    for (int i = 0; i < wb.length; i++) {
      assertThat(wb[i]).isCloseTo(wc[i], org.assertj.core.data.Offset.offset(1e-12));
    }
  }

  /** The same spec and seed on the jvm and nd4j-cpu backends give the same run to 1e-10 (float64). */
  @Test
  void jvmAndNd4jBackendsAgreeOnAWholeRun() throws Exception {
    Path jvm = tmp.resolve("jvm");
    Path nd4j = tmp.resolve("nd4j");
    assertThat(Cli.run(args(new String[] {"run"}, args(SMALL, "--set", "solver.steps=40", "--out", jvm.toString())))
        .exitCode()).isZero();
    Cli cli = Cli.run(args(new String[] {"run"}, args(SMALL, "--set", "solver.steps=40", "--backend", "nd4j-cpu",
        "--out", nd4j.toString())));
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(Files.readString(nd4j.resolve("summary.json"))).contains("\"id\" : \"nd4j-cpu\"");
    List<double[]> a = history(jvm);
    List<double[]> b = history(nd4j);
    assertThat(b).hasSameSizeAs(a);
    for (int k = 0; k < a.size(); k++) {
      for (int c = 2; c <= 4; c++) {
        assertThat(b.get(k)[c]).isCloseTo(a.get(k)[c], org.assertj.core.data.Offset.offset(1e-10 * Math.abs(a.get(k)[c])));
      }
    }
    double[] wa = Npy.read(jvm.resolve("params/W.npy")).data();
    double[] wb = Npy.read(nd4j.resolve("params/W.npy")).data();
    for (int i = 0; i < wa.length; i++) {
      assertThat(wb[i]).isCloseTo(wa[i], org.assertj.core.data.Offset.offset(1e-10 * (1 + Math.abs(wa[i]))));
    }
  }

  /** float32 follows the float64 trajectory to single-precision accuracy on both backends. */
  @Test
  void float32TracksFloat64() throws Exception {
    Path f64 = tmp.resolve("f64");
    assertThat(Cli.run(args(new String[] {"run"}, args(SMALL, "--set", "solver.steps=40", "--out", f64.toString())))
        .exitCode()).isZero();
    double[] reference = history(f64).get(4);
    for (String backend : List.of("jvm", "nd4j-cpu")) {
      Path f32 = tmp.resolve("f32-" + backend);
      Cli cli = Cli.run(args(new String[] {"run"}, args(SMALL, "--set", "solver.steps=40", "--set", "precision=float32",
          "--backend", backend, "--out", f32.toString())));
      assertThat(cli.exitCode()).as(cli.err()).isZero();
      assertThat(Npy.read(f32.resolve("params/W.npy")).shape()).containsExactly(32, 11);
      double[] last = history(f32).get(4);
      for (int c = 2; c <= 4; c++) {
        assertThat(last[c]).as("%s column %d", backend, c)
            .isCloseTo(reference[c], org.assertj.core.data.Offset.offset(1e-4 * reference[c]));
        assertThat(last[c]).isNotEqualTo(reference[c]);
      }
    }
  }

  /**
   * A width-N network sampled from the grid minimizer, as {@code ParameterDensity.quadrature} says: f(x; u*) =
   * Σ_q μ_q u_q σ(θ_q·(x, 1)) over the 17 × 17 nodes θ_q of [−4, 4]² with trapezoid weights μ_q (the test's own copy),
   * nodes drawn i.i.d. with probability μ_q|u_q|/Z, Z = Σ_q μ_q|u_q|, and a_j = Z sign u_{q_j}. Asserted: every row of
   * W is a node; |a_j| = Z and its sign is u's there (1e-12); the empirical law of the nodes (cumulative, in node
   * order) is within the 1% Kolmogorov distance 1.63/√N of μ|u|/Z (conservative for a discrete law); on 61 points
   * x ∈ [−3, 3] the network f_N = (1/N) Σ_j a_j σ(W_j·(x, 1)) is within a factor 4 either way of the Monte Carlo
   * error the sampling law predicts, √(mean_x Var(x)/N) with Var(x) = Z Σ_q μ_q|u_q| σ_q(x)² − f*(x)², against
   * f* from params/u.npy. The particles run started from the network then has the density's train risk R* up to that
   * error (|R_N − R*| ≤ ε² + 2ε√R* with ε four times the largest MC standard deviation), and keeps training.
   */
  @Test
  void densityExportsANetworkThatParticlesContinue() throws Exception {
    int points = 17;
    int width = 500;
    Path density = tmp.resolve("density");
    Cli cli = Cli.run("run", ProjectRoot.example("density.yaml"), "--set", "backend=jvm", "--set", "discretization.points=" + points,
        "--set", "export.network_width=" + width, "--out", density.toString());
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    double[] u = Npy.read(density.resolve("params/u.npy")).data();
    assertThat(Npy.read(density.resolve("params/u.npy")).shape()).containsExactly(points * points);
    Npy.Array wArray = Npy.read(density.resolve("params/network/W.npy"));
    assertThat(wArray.shape()).containsExactly(width, 2);
    double[] a = Npy.read(density.resolve("params/network/a.npy")).data();
    double[] w = wArray.data();

    double step = 8.0 / (points - 1); // examples/density.yaml: Ω = [−4, 4]², nodes in C order, bias last
    double[] mu = new double[points * points];
    double z = 0;
    for (int q = 0; q < mu.length; q++) {
      mu[q] = step * step * (q / points == 0 || q / points == points - 1 ? 0.5 : 1)
          * (q % points == 0 || q % points == points - 1 ? 0.5 : 1);
      z += mu[q] * Math.abs(u[q]);
    }
    int[] counts = new int[mu.length];
    for (int j = 0; j < width; j++) {
      double iw = (w[2 * j] + 4) / step;
      double ib = (w[2 * j + 1] + 4) / step;
      assertThat(iw).as("W_%d is a node", j).isEqualTo(Math.rint(iw));
      assertThat(ib).as("W_%d is a node", j).isEqualTo(Math.rint(ib));
      int q = (int) Math.rint(iw) * points + (int) Math.rint(ib);
      counts[q]++;
      assertThat(Math.abs(a[j])).as("|a_%d| = Z", j).isCloseTo(z, offset(1e-12 * z));
      assertThat(Math.signum(a[j])).as("sign of a_%d", j).isEqualTo(Math.signum(u[q]));
    }
    double law = 0;
    double empirical = 0;
    double distance = 0;
    for (int q = 0; q < mu.length; q++) {
      law += mu[q] * Math.abs(u[q]) / z;
      empirical += counts[q] / (double) width;
      distance = Math.max(distance, Math.abs(empirical - law));
    }
    assertThat(distance).as("Kolmogorov distance of the nodes drawn to μ|u|/Z").isLessThan(1.63 / Math.sqrt(width));

    Dataset train;
    try (Run run = Varflow.load(null).prepare(Spec.load(ProjectRoot.resolve("examples/density.yaml"), List.of("backend=jvm",
        "discretization.points=" + points)))) {
      train = run.problem().train();
    }
    assertThat(train.d()).isEqualTo(1);
    double squaredError = 0;
    double variance = 0;
    double riskStar = 0;
    double riskN = 0;
    for (int i = 0; i < train.n(); i++) {
      double x = train.x()[i];
      double fStar = 0;
      double second = 0;
      for (int q = 0; q < mu.length; q++) {
        double sigma = Math.tanh(((q / points) * step - 4) * x + (q % points) * step - 4);
        fStar += mu[q] * u[q] * sigma;
        second += z * mu[q] * Math.abs(u[q]) * sigma * sigma;
      }
      double fN = 0;
      for (int j = 0; j < width; j++) {
        fN += a[j] * Math.tanh(w[2 * j] * x + w[2 * j + 1]) / width;
      }
      squaredError += (fN - fStar) * (fN - fStar) / train.n();
      variance += (second - fStar * fStar) / train.n();
      riskStar += (fStar - train.y()[i]) * (fStar - train.y()[i]) / (2 * train.n()); // the squared loss ½(f − y)²
      riskN += (fN - train.y()[i]) * (fN - train.y()[i]) / (2 * train.n());
    }
    double predicted = Math.sqrt(variance / width);
    System.out.printf("sampled network: rms |f_N − f*| = %.4g over the training points, Monte Carlo prediction %.4g"
        + " (ratio %.2f); Kolmogorov distance %.4f; Z = %.4f%n", Math.sqrt(squaredError), predicted,
        Math.sqrt(squaredError) / predicted, distance, z);
    assertThat(Math.sqrt(squaredError) / predicted).isBetween(0.25, 4.0);

    Path particles = tmp.resolve("particles");
    Cli cont = Cli.run("run", ProjectRoot.example("density.yaml"), "--set", "backend=jvm", "--set",
        "model={kind: two-layer, activation: tanh, bias: true}", "--set", "regularizers=[]", "--set",
        "discretization={kind: particles, init: {npy: " + density.resolve("params/network") + "}}",
        "--set", "solver={kind: explicit-euler, step: 0.01, steps: 20}", "--out", particles.toString());
    assertThat(cont.exitCode()).as(cont.err()).isZero();
    List<double[]> h = history(particles);
    List<double[]> d = history(density);
    // the test's f* and f_N are the run's: the density's final train risk is that of f*, the particles' first that of f_N
    assertThat(d.get(d.size() - 1)[3]).as("density's final train risk").isCloseTo(riskStar, offset(1e-9 * riskStar));
    assertThat(h.get(0)[3]).as("network's first train risk").isCloseTo(riskN, offset(1e-9 * riskN));
    assertThat(h.get(h.size() - 1)[3]).isLessThan(h.get(0)[3]);
  }

  @Test
  void exportNeedsADensity() {
    Cli cli = Cli.run(args(new String[] {"run"}, args(SMALL, "--set", "export.network_width=10")));
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).isEqualTo("error: export.network_width: discretization 'particles' has no parameter density"
        + " to sample a network from\n");
  }

  @Test
  void divergenceExitsWith3KeepingHistoryAndSummary() throws Exception {
    Path dir = tmp.resolve("run");
    Cli cli = Cli.run(args(new String[] {"run"}, args(SMALL, "--set", "solver.step=1e9", "--set", "solver.steps=50",
        "--set", "solver.record_every=1", "--out", dir.toString())));
    assertThat(cli.exitCode()).isEqualTo(3);
    assertThat(cli.err()).containsPattern("run failed: diverged at step \\d+ .* with solver.step = 1.0E9; history and"
        + " summary kept in ");
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    assertThat(summary.get("status").asText()).isEqualTo("diverged");
    assertThat(summary.get("message").asText()).startsWith("diverged at step");
    assertThat(history(dir)).hasSize(summary.get("steps").asInt());
  }

  /** --out at an earlier run is refused before any work; --force replaces it, leaving none of its files behind. */
  @Test
  void anExistingRunDirectoryIsReplacedOnlyWithForce() throws Exception {
    Path dir = tmp.resolve("run");
    Cli density = Cli.run("run", ProjectRoot.example("density.yaml"), "--set", "backend=jvm", "--set", "discretization.points=9",
        "--set", "export.network_width=20", "--out", dir.toString());
    assertThat(density.exitCode()).as(density.err()).isZero();
    assertThat(dir.resolve("params/u.npy")).exists();
    String[] again = args(new String[] {"run"}, args(SMALL, "--set", "solver.steps=5", "--out", dir.toString()));
    Cli refused = Cli.run(again);
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).isEqualTo("error: --out: " + dir + " is not empty; choose a new directory, or add --force"
        + " to replace the run in it\n");
    Cli replaced = Cli.run(args(again, "--force"));
    assertThat(replaced.exitCode()).as(replaced.err()).isZero();
    assertThat(dir.resolve("params/u.npy")).doesNotExist();
    assertThat(dir.resolve("params/network")).doesNotExist();
    assertThat(dir.resolve("plots/density.png")).doesNotExist();
    assertThat(dir.resolve("params/a.npy")).exists();
    assertThat(history(dir)).hasSize(2);
  }

  /**
   * A user's project holding its spec, data, notes and .git is not a run directory: --out at it with --force is
   * refused naming why, and nothing in it is touched (it used to be deleted whole).
   */
  @Test
  void forceNeverDeletesAUsersProject() throws Exception {
    Path proj = Files.createDirectories(tmp.resolve("proj"));
    Files.createDirectories(proj.resolve("data"));
    Files.createDirectories(proj.resolve(".git/refs"));
    Files.writeString(proj.resolve("spec.yaml"), "discretization: {width: 8}\nsolver: {steps: 2}\n");
    Npy.write(proj.resolve("data/X.npy"), new double[] {1, 2}, new int[] {2, 1}, Precision.FLOAT64);
    Files.writeString(proj.resolve("NOTES.md"), "my notes");
    Files.writeString(proj.resolve(".git/HEAD"), "ref: refs/heads/main");
    List<Path> before;
    try (var files = Files.walk(proj)) {
      before = files.sorted().toList();
    }
    Cli cli = Cli.run("run", proj.resolve("spec.yaml").toString(), "--out", proj.toString(), "--force");
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).isEqualTo("error: --out: " + proj + " is not a run directory that varflow wrote (it has no"
        + " .varflow-run); --force replaces only those\n");
    try (var files = Files.walk(proj)) {
      assertThat(files.sorted().toList()).isEqualTo(before);
    }
    assertThat(proj.resolve("NOTES.md")).hasContent("my notes");
  }

  @Test
  void anOutThatCannotBeARunDirectoryIsRefusedBeforeAnyWork() throws Exception {
    Path file = Files.writeString(tmp.resolve("file.txt"), "");
    Cli cli = Cli.run(args(new String[] {"run"}, args(SMALL, "--out", file.resolve("run").toString())));
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).isEqualTo("error: --out: " + file.resolve("run") + " cannot be created: " + file
        + " is not a directory\n");
  }

  /** A run whose energy is not finite at step 0 records nothing, and says that it kept the spec and summary only. */
  @Test
  void aDivergenceAtStepZeroSaysNothingWasRecorded() throws Exception {
    Files.writeString(tmp.resolve("d.csv"), "x,y\n1,1e200\n2,3\n");
    Path dir = tmp.resolve("run");
    Cli cli = Cli.run("run", "--set", "backend=jvm", "--set", "data={train: {csv: " + tmp.resolve("d.csv") + ", target: y}}",
        "--set", "discretization.width=4", "--out", dir.toString());
    assertThat(cli.exitCode()).isEqualTo(3);
    assertThat(cli.err()).startsWith("error: run failed: diverged at step 0 (t = 0.0): energy is Infinity {risk=Infinity,")
        .endsWith(" with solver.step = 0.5; spec and summary (nothing was recorded) kept in " + dir + "\n");
    assertThat(dir.resolve("history.csv")).doesNotExist();
    assertThat(dir.resolve("summary.json")).content().contains("\"status\" : \"diverged\"");
  }

  /** A run that runs out of heap mid-solve exits 3 naming the step, and keeps its history and summary (failed). */
  @Test
  void outOfMemoryDuringARunKeepsItsSummary() throws Exception {
    Path dir = tmp.resolve("run");
    FaultyRun run = faultyRun(FaultyTensors::outOfMemoryAfter, dir);
    assertThat(run.summary().get("status").asText()).isEqualTo("failed");
    assertThat(run.cli().err()).isEqualTo("error: run failed: out of memory at step " + run.step() + " (Java heap"
        + " space); use smaller sizes, float32, or more memory (VARFLOW_JAVA_OPTS=-Xmx…); history and summary kept in "
        + dir + "\n");
    assertThat(run.summary().get("message").asText()).startsWith("out of memory at step " + run.step());
    assertThat(history(dir)).hasSizeGreaterThanOrEqualTo(run.step());
  }

  /** A fault of the jvm backend's tensors: {@code op} in {@code precision} goes wrong after {@code calls} calls. */
  @FunctionalInterface
  private interface Fault {
    TensorFactory inject(TensorFactory base, String op, Precision precision, int calls);
  }

  /** A run on faulty tensors: what it printed, its summary, and the step it failed at. */
  private record FaultyRun(Cli cli, JsonNode summary, int step) {}

  /**
   * Runs 50 steps, each recorded, on the jvm backend with its activation failing from the 41st call: exit 3 and a
   * summary at a step between 1 and 49.
   */
  private static FaultyRun faultyRun(Fault fault, Path dir) throws Exception {
    TensorFactory jvm = BackendSelfCheckTest.real("jvm").tensors();
    PluginRegistry registry = Cli.withBackends(BackendSelfCheckTest.real("jvm"), FaultyTensors.backend("faulty",
        fault.inject(jvm, "activate", Precision.FLOAT64, 40)));
    Cli cli = Cli.run(registry, args(new String[] {"run"}, args(SMALL, "--set", "backend=faulty", "--set",
        "solver.steps=50", "--set", "solver.record_every=1", "--out", dir.toString())));
    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(3);
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    int step = summary.get("steps").asInt();
    assertThat(step).isBetween(1, 49);
    return new FaultyRun(cli, summary, step);
  }

  /**
   * Numbers that stop being finite mid-run (a backend whose activation turns NaN after 40 calls) end the run with
   * exit 3 at the step where the energy was NaN, keeping the history recorded before it.
   */
  @Test
  void nanDuringARunExitsWith3NamingTheStep() throws Exception {
    Path dir = tmp.resolve("run");
    FaultyRun run = faultyRun(FaultyTensors::nanAfter, dir);
    Cli cli = run.cli();
    JsonNode summary = run.summary();
    int step = run.step();
    assertThat(cli.err()).contains("run failed: diverged at step " + step, "energy is NaN");
    assertThat(summary.get("status").asText()).isEqualTo("diverged");
    List<double[]> rows = history(dir);
    assertThat(rows).hasSize(step);
    assertThat(rows).allSatisfy(row -> assertThat(row[2]).isFinite());
  }

  /**
   * A stationary solve names its method and whether it converged; its time t = ∞ is no value: {@code -} in the
   * table, an empty cell in history.csv, null in summary.json.
   */
  @Test
  void stationarySolveNamesItsMethodAndWritesInfiniteTimeAsNoValue() throws Exception {
    Path dir = tmp.resolve("run");
    Cli cli = Cli.run("run", ProjectRoot.example("random-features.yaml"), "--set", "backend=jvm", "--set", "data.train.n=60",
        "--set", "discretization.width=20", "--out", dir.toString());
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(cli.out()).containsPattern("\\nmethod +cholesky\\n").containsPattern("\\nconverged +true\\n")
        .containsPattern("\\ntime +-\\n");
    List<double[]> rows = history(dir);
    assertThat(rows.get(rows.size() - 1)[1]).isNaN();
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    assertThat(summary.at("/final/time").isNull()).isTrue();
    assertThat(summary.at("/solver/method").asText()).isEqualTo("cholesky");
    assertThat(summary.at("/solver/converged").asBoolean()).isTrue();
  }

  /**
   * Plain {@code varflow} is {@code varflow run} on the bundled quickstart, into {@code runs/} of the working directory,
   * the directory it prints: in a child JVM whose working directory is a temporary one, so that the test writes
   * nothing into the directory it runs from.
   */
  @Test
  void noCommandRunsTheQuickstart() throws Exception {
    Path log = tmp.resolve("quickstart.log");
    Process child = new ProcessBuilder(ChildJvm.varflow("-Xmx1g")).directory(tmp.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    boolean ended = child.waitFor(2, TimeUnit.MINUTES);
    if (!ended) {
      child.destroyForcibly().waitFor();
    }
    String out = Files.readString(log);
    assertThat(ended).as("the quickstart ended within two minutes: %s", out).isTrue();
    assertThat(child.exitValue()).as(out).isZero();
    String printed = out.lines().filter(l -> l.startsWith("run directory: ")).findFirst().orElseThrow()
        .substring("run directory: ".length());
    Path run = Path.of(printed);
    assertThat(run.getParent()).isEqualTo(Path.of("runs"));
    assertThat(run.getFileName().toString()).matches("[0-9]{8}-[0-9]{6}-quickstart");
    assertThat(history(tmp.resolve(run))).hasSize(41);
  }

  @Test
  void pluginsListsBuiltInsOnBothBackends() {
    Cli cli = Cli.run("plugins", "--json");
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(cli.out()).contains("\"id\" : \"jvm\"", "\"id\" : \"nd4j-cpu\"", "\"id\" : \"particles\"",
        "\"id\" : \"explicit-euler\"", "\"module\" : \"org.varflow.backend.jvm\"");
  }
}
