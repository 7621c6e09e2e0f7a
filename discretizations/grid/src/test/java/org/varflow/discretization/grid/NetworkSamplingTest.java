package org.varflow.discretization.grid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.DensityWeight;
import org.varflow.api.problem.Sobolev;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Activation;

/** Width-N networks sampled from the minimizer u* approach f(·; u*) in mean square at the Monte Carlo rate 1/N. */
class NetworkSamplingTest {
  private static final Dataset DATA = Fixtures.data(40, 1, 5);
  private static final VariationalProblem PROBLEM =
      Fixtures.problem(DATA, Activation.TANH, new DensityWeight("uniform", 1.0), new Sobolev(1e-2, 1.0, 1.0));
  private static final int[] WIDTHS = {16, 64, 256, 1024};

  static Stream<String> backends() {
    return Fixtures.backends();
  }

  /** E|f_N − f|² = Var/N for i.i.d. importance samples: the log–log slope over N = 16…1024 (40 seeds) is −1 ± 0.15. */
  @ParameterizedTest
  @MethodSource("backends")
  void sampledNetworksConvergeAtRateOneOverN(String backend) {
    DiscreteFlow flow = Fixtures.flow(PROBLEM, backend, 1, 17, Map.of());
    Fixtures.solve(flow, "stationary", Map.of());
    double[] errors = Fixtures.samplingErrors(flow, DATA, Activation.TANH, WIDTHS, 40);
    double slope = Fixtures.slope(Arrays.stream(WIDTHS).mapToDouble(Math::log).toArray(),
        Arrays.stream(errors).map(Math::log).toArray());
    System.out.printf("[%s] grid sampling: mean squared distances %s, log–log slope %.3f%n", backend,
        Arrays.toString(errors), slope);
    assertThat(slope).as("log–log slope of the mean squared distance vs N").isBetween(-1.15, -0.85);
  }
}
