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
 * both backends: explicit Euler converges to the stationary solution, at least at the rate e^{−2αt},
 * and implicit Euler is stable far beyond the explicit limit 2/L.
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
  }

  @ParameterizedTest
  @ValueSource(strings = {"jvm", "nd4j-cpu"})
  void implicitEulerDecreasesTheEnergyAtEveryStepFarBeyondTheExplicitLimit(String backend) throws Exception {
    // L from the check report (power iteration on A)
    String[] checkArgs = spec(backend);
    checkArgs[0] = "check";
    Cli c = Cli.run(checkArgs);
    assertThat(c.exitCode()).as(c.err()).isZero();
    assertThat(c.out()).contains("well posed", "unique (λ-convex)", String.format("e^{−%.6g t}", 2 * ALPHA));
    double lipschitz = Double.parseDouble(c.out().lines().filter(l -> l.startsWith("L (largest"))
        .findFirst().orElseThrow().replaceAll(".*\\s", ""));
    double h = 100 / lipschitz;
    Path out = tmp.resolve("implicit");
    runA(backend, out, "--set", "solver={kind: implicit-euler, step: " + h + ", steps: 30, record_every: 1}");
    List<double[]> rows = RunCommandTest.history(out);
    assertThat(rows).hasSize(31);
    for (int k = 1; k < rows.size(); k++) {
      assertThat(rows.get(k)[2]).as("energy at step %d", k).isLessThan(rows.get(k - 1)[2] + 1e-15);
    }
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
