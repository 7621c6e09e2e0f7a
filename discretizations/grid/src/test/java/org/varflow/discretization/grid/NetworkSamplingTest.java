package org.varflow.discretization.grid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.DensityWeight;
import org.varflow.api.problem.Sobolev;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Tensor;

/** Width-N networks sampled from the minimizer u* approach f(·; u*) in mean square at the Monte Carlo rate 1/N. */
class NetworkSamplingTest {
  private static final Dataset DATA = Fixtures.data(40, 1, 5);
  private static final VariationalProblem PROBLEM =
      Fixtures.problem(DATA, Activation.TANH, new DensityWeight("uniform", 1.0), new Sobolev(1e-2, 1.0, 1.0));
  private static final int SEEDS = 40;

  static java.util.stream.Stream<String> backends() {
    return Fixtures.backends();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void sampledNetworksConvergeAtRateOneOverN(String backend) {
    DiscreteFlow flow = Fixtures.flow(PROBLEM, backend, 1, 17, Map.of());
    Fixtures.solve(flow, "stationary", Map.of());
    double[] f = flow.predict(DATA);
    int[] widths = {16, 64, 256, 1024};
    double[] logN = new double[widths.length];
    double[] logErr = new double[widths.length];
    for (int w = 0; w < widths.length; w++) {
      double mse = 0;
      for (int seed = 0; seed < SEEDS; seed++) {
        Map<String, Tensor> net = flow.networkSampler().orElseThrow().sample(widths[w], 1000L * w + seed);
        double[] a = net.get("a").toDoubleArray();
        double[] wb = net.get("W").toDoubleArray();
        assertThat(net.get("W").shape()).containsExactly(widths[w], 2);
        for (int i = 0; i < DATA.n(); i++) {
          double fn = 0;
          for (int j = 0; j < widths[w]; j++) {
            fn += a[j] * Math.tanh(wb[2 * j] * DATA.x()[i] + wb[2 * j + 1]) / widths[w];
          }
          mse += (fn - f[i]) * (fn - f[i]) / (DATA.n() * SEEDS);
        }
      }
      logN[w] = Math.log(widths[w]);
      logErr[w] = Math.log(mse);
    }
    double mx = java.util.Arrays.stream(logN).average().orElseThrow();
    double my = java.util.Arrays.stream(logErr).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    for (int w = 0; w < widths.length; w++) {
      sxy += (logN[w] - mx) * (logErr[w] - my);
      sxx += (logN[w] - mx) * (logN[w] - mx);
    }
    assertThat(sxy / sxx).as("log–log slope of the mean squared distance vs N").isBetween(-1.15, -0.85);
  }
}
