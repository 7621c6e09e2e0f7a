package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varflow.api.io.Npy;

/**
 * The λ-convex L² gradient flow of the random feature model with Tikhonov regularization, end to end on
 * both backends: explicit Euler converges to the stationary solution, at least at the rate e^{−2αt} and no
 * faster than its fastest mode allows, and implicit Euler is stable far beyond the explicit limit 2/L, each step
 * shrinking E − E* as much as the spectrum of A says.
 */
class RandomFeatureFlowTest {
  private static final double ALPHA = 0.2;

  @TempDir
  Path tmp;

  private static String[] spec(String backend, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("run",
        "--set", "backend=" + backend, "--set", "data.train={generator: sines, n: 200, d: 3}",
        "--set", "data.test={generator: sines, n: 100, d: 3}", "--set", "model.kind=random-features",
        "--set", "model.activation=tanh", "--set", "model.bias=true",
        "--set", "regularizers=[{kind: tikhonov, strength: " + ALPHA + "}]",
        "--set", "discretization={kind: random-features, width: 64}"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private double[] runA(String backend, Path out, String... solver) {
    String[] args = spec(backend, solver);
    String[] all = java.util.Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--out";
    all[args.length + 1] = out.toString();
    Cli cli = Cli.run(all);
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    return Npy.read(out.resolve("params/a.npy")).data();
  }

  @ParameterizedTest
  @ValueSource(strings = {"jvm", "nd4j-cpu"})
  void explicitEulerConvergesToTheStationarySolutionAtRate2Alpha(String backend) throws Exception {
    Path stationary = tmp.resolve("stationary");
    double[] aStar = runA(backend, stationary, "--set", "solver={kind: stationary}");
    double residual = new ObjectMapper().readTree(stationary.resolve("summary.json").toFile()).at("/solver/residual").asDouble();
    assertThat(residual).isLessThan(1e-12);
    double eStar = RunCommandTest.history(stationary).get(1)[2];

    Path flow = tmp.resolve("flow");
    double[] a = runA(backend, flow, "--set", "solver={kind: explicit-euler, step: 0.5, time: 120, record_every: 1}");
    double num = 0;
    double den = 0;
    for (int i = 0; i < a.length; i++) {
      num += (a[i] - aStar[i]) * (a[i] - aStar[i]);
      den += aStar[i] * aStar[i];
    }
    assertThat(Math.sqrt(num / den)).isLessThan(1e-8);

    // least-squares slope of log(E(t) − E*) over the part of the run where the gap is well above round-off
    List<double[]> h = RunCommandTest.history(flow);
    double st = 0, sy = 0, stt = 0, sty = 0;
    int count = 0;
    for (double[] row : h) {
      double gap = row[2] - eStar;
      if (gap > 1e-11 && row[1] > 0) {
        double y = Math.log(gap);
        st += row[1];
        sy += y;
        stt += row[1] * row[1];
        sty += row[1] * y;
        count++;
      }
    }
    double slope = (count * sty - st * sy) / (count * stt - st * st);
    assertThat(count).isGreaterThan(20);
    assertThat(-slope).as("decay rate of E − E*").isGreaterThanOrEqualTo(2 * ALPHA * 0.95);

    // two-sided: explicit Euler multiplies the error mode of eigenvalue μ by 1 − hμ, in [1 − hL, 1 − hα] ⊂ (0, 1)
    // here (hL = 0.17), so E − E* = Σ_μ c_μ (1 − hμ)^{2k} with c_μ ≥ 0 and each step's ratio of gaps is a weighted
    // mean of (1 − hμ)²: between (1 − hL)² and (1 − hα)² (0.687 and 0.81; asserted while both gaps are above
    // 10⁻⁹ E*, where rounding moves the ratio by less than 10⁻⁵), and so is the fitted slope between
    // (2/h) ln(1 − hL) and (2/h) ln(1 − hα) (−0.751 and −0.421; measured −0.557). A flow that runs 1.5 times too
    // fast, or too slow, leaves the band.
    double hStep = 0.5;
    double lipschitz = lipschitz(backend);
    double fastest = Math.pow(1 - hStep * lipschitz, 2);
    double slowest = Math.pow(1 - hStep * ALPHA, 2);
    assertThat(hStep * lipschitz).isLessThan(1);
    int checked = 0;
    for (int k = 1; k < h.size(); k++) {
      double before = h.get(k - 1)[2] - eStar;
      double gap = h.get(k)[2] - eStar;
      if (before > 1e-9 * eStar && gap > 1e-9 * eStar) {
        assertThat(gap / before).as("ratio of gaps at step %d", k).isBetween(fastest * (1 - 1e-5), slowest * (1 + 1e-5));
        checked++;
      }
    }
    System.out.printf("[%s] explicit Euler: fitted d log(E − E*)/dt = %.4f in [%.4f, %.4f]; %d steps' ratios in [%.4f,"
        + " %.4f]%n", backend, slope, 2 / hStep * Math.log(1 - hStep * lipschitz), 2 / hStep * Math.log(1 - hStep * ALPHA),
        checked, fastest, slowest);
    assertThat(checked).isGreaterThan(20);
    assertThat(slope).isBetween(2 / hStep * Math.log(1 - hStep * lipschitz), 2 / hStep * Math.log(1 - hStep * ALPHA));
  }

  /** @return L ≥ λ_max(A), as the check report prints it (power iteration on A) */
  private static double lipschitz(String backend) {
    String[] checkArgs = spec(backend);
    checkArgs[0] = "check";
    Cli c = Cli.run(checkArgs);
    assertThat(c.exitCode()).as(c.err()).isZero();
    assertThat(c.out()).contains("well posed", "unique (λ-convex)", String.format("e^{−%.6g t}", 2 * ALPHA));
    return Double.parseDouble(c.out().lines().filter(l -> l.startsWith("L (largest"))
        .findFirst().orElseThrow().replaceAll(".*\\s", ""));
  }

  /**
   * h = 100/L, fifty times the explicit limit 2/L. Implicit Euler multiplies the error mode of eigenvalue μ by
   * 1/(1 + hμ), so E − E* = Σ_μ c_μ (1 + hμ)^{−2k}, c_μ ≥ 0: each step's ratio of gaps is a weighted mean of
   * (1 + hμ)^{−2} over α ≤ μ ≤ L, between (1 + hL)^{−2} and (1 + hα)^{−2} (asserted while both gaps are above
   * 10⁻¹¹ E*, rounding far below). Below that the energy stays within 10⁻¹² E* of E*: the solve ends at the
   * minimizer. A step that does nothing (ratio 1) or too little fails.
   */
  @ParameterizedTest
  @ValueSource(strings = {"jvm", "nd4j-cpu"})
  void implicitEulerDecreasesTheEnergyAtEveryStepFarBeyondTheExplicitLimit(String backend) throws Exception {
    double lipschitz = lipschitz(backend);
    double h = 100 / lipschitz;
    Path stationary = tmp.resolve("stationary");
    runA(backend, stationary, "--set", "solver={kind: stationary}");
    double eStar = RunCommandTest.history(stationary).get(1)[2];
    Path out = tmp.resolve("implicit");
    runA(backend, out, "--set", "solver={kind: implicit-euler, step: " + h + ", steps: 30, record_every: 1}");
    List<double[]> rows = RunCommandTest.history(out);
    assertThat(rows).hasSize(31);
    double fastest = Math.pow(1 + h * lipschitz, -2);
    double slowest = Math.pow(1 + h * ALPHA, -2);
    int checked = 0;
    for (int k = 1; k < rows.size(); k++) {
      double before = rows.get(k - 1)[2] - eStar;
      double gap = rows.get(k)[2] - eStar;
      if (before > 1e-11 * eStar && gap > 1e-11 * eStar) {
        System.out.printf("[%s] implicit Euler step %d: (E_k − E*)/(E_{k−1} − E*) = %.4g in [%.4g, %.4g]%n", backend,
            k, gap / before, fastest, slowest);
        assertThat(gap / before).as("ratio of gaps at step %d", k).isBetween(fastest, slowest);
        checked++;
      } else {
        assertThat(gap).as("E − E* at step %d", k).isBetween(-1e-12 * eStar, Math.max(before, 0) + 1e-12 * eStar);
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(2);
    assertThat(Math.abs(rows.get(rows.size() - 1)[2] - eStar)).isLessThan(1e-12 * eStar);
  }

  @ParameterizedTest
  @ValueSource(strings = {"jvm"})
  void checkRejectsANonUniqueMinimizer(String backend) {
    String[] args = spec(backend, "--set", "regularizers=[]", "--set", "discretization.width=400");
    args[0] = "check";
    Cli cli = Cli.run(args);
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).isEqualTo("error: regularizers: not well posed: λ = 0 and 400 unknowns > n = 200 data points:"
        + " the minimizer is not unique\n");
  }
}
