package org.varflow.discretization.random.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.LinearFlow;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Activation;

/** Convergence in the width m: the Monte Carlo O(1/m) rate and random features → kernel, on every backend. */
class RatesTest {
  private static final int[] WIDTHS = {16, 64, 256, 1024};
  private static final int[] KERNEL_WIDTHS = {64, 256, 1024, 4096};

  static java.util.stream.Stream<String> backends() {
    return Fixtures.backends();
  }

  /**
   * f*(x) = E_π[a*(w) σ(w·x)] with a*(w) = w₁, σ = ReLU, w ~ N(0, τ²I), τ² = s²/d: by Stein's lemma
   * f*(x) = τ² x₁ P(w·x &gt; 0) = τ² x₁/2. With a_j = a*(w_j), the mean squared error over the data,
   * averaged over 40 seeds, is Var(w₁σ(w·x))/m: log–log slope −1 ± 0.1.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void monteCarloErrorDecaysAsOneOverM(String backend) {
    Dataset data = Fixtures.data(64, 3, 7);
    double s = 1.0;
    int d = data.d() + 1;
    VariationalProblem problem = Fixtures.problem(data, Activation.RELU, "gaussian", s, 0);
    double[] target = new double[data.n()];
    for (int i = 0; i < data.n(); i++) {
      target[i] = s * s / d * data.x()[i * data.d()] / 2;
    }
    int seeds = 40;
    double[] mse = new double[WIDTHS.length];
    for (int q = 0; q < WIDTHS.length; q++) {
      int m = WIDTHS[q];
      for (int seed = 0; seed < seeds; seed++) {
        DiscreteFlow flow = Fixtures.flow("random-features", problem, backend, 1000L * q + seed, Fixtures.width(m));
        double[] w = flow.state().get("W").toDoubleArray();
        double[] a = new double[m];
        for (int j = 0; j < m; j++) {
          a[j] = w[j * d]; // a*(w_j) = w_j1
        }
        Fixtures.set(flow, "a", a, backend);
        mse[q] += Fixtures.meanSquaredDifference(flow.predict(data), target) / seeds;
      }
    }
    double slope = Fixtures.logLogSlope(toDouble(WIDTHS), mse);
    System.out.printf("[%s] Monte Carlo rate: mse %s, slope %.3f%n", backend, java.util.Arrays.toString(mse), slope);
    assertThat(slope).isBetween(-1.1, -0.9);
  }

  /**
   * The stationary random feature predictor (α = 10⁻², A a = b) approaches the stationary kernel predictor
   * (exact infinite width) as m grows at the Monte Carlo rate: the feature Gram matrix is the kernel matrix plus
   * O(m^{−1/2}) noise and the ridge solution is Lipschitz in it for α > 0, so the mean squared difference of the
   * predictions falls like 1/m — log–log slope −1 ± 0.15 (measured −0.987 over m = 64…4096, 24 seeds).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void randomFeaturesApproachTheKernelLimit(String backend) {
    Dataset data = Fixtures.data(32, 2, 11);
    VariationalProblem problem = Fixtures.problem(data, Activation.RELU, "gaussian", 1.0, 1e-2);
    DiscreteFlow kernel = Fixtures.flow("kernel", problem, backend, 1, Map.of());
    LinearFlow kl = kernel.linear().orElseThrow();
    Fixtures.set(kernel, "c", kl.operator().choleskySolve(kl.rhs()).toDoubleArray(), backend);
    double[] limit = kernel.predict(data);

    int seeds = 24;
    double[] mse = new double[KERNEL_WIDTHS.length];
    for (int q = 0; q < KERNEL_WIDTHS.length; q++) {
      int m = KERNEL_WIDTHS[q];
      for (int seed = 0; seed < seeds; seed++) {
        DiscreteFlow flow = Fixtures.flow("random-features", problem, backend, 100L * q + seed, Fixtures.width(m));
        LinearFlow linear = flow.linear().orElseThrow();
        Fixtures.set(flow, "a", Fixtures.conjugateGradient(linear, Fixtures.tensors(backend), m), backend);
        mse[q] += Fixtures.meanSquaredDifference(flow.predict(data), limit) / seeds;
      }
    }
    double slope = Fixtures.logLogSlope(toDouble(KERNEL_WIDTHS), mse);
    System.out.printf("[%s] random features -> kernel: mse %s, slope %.3f%n", backend, java.util.Arrays.toString(mse), slope);
    for (int q = 1; q < mse.length; q++) {
      assertThat(mse[q]).isLessThan(mse[q - 1]);
    }
    assertThat(slope).isBetween(-1.15, -0.85);
  }

  /** The conjugate-gradient minimizer used above is the Cholesky one, and it zeroes the velocity. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void stationaryPointFromCholeskyAndFromApplyAgree(String backend) {
    Dataset data = Fixtures.data(32, 2, 11);
    VariationalProblem problem = Fixtures.problem(data, Activation.SIGMOID, "sphere", 2.0, 1e-2);
    int m = 256;
    DiscreteFlow flow = Fixtures.flow("random-features", problem, backend, 5, Fixtures.width(m));
    LinearFlow linear = flow.linear().orElseThrow();
    double[] cholesky = linear.operator().choleskySolve(linear.rhs()).toDoubleArray();
    double[] cg = Fixtures.conjugateGradient(linear, Fixtures.tensors(backend), m);
    assertThat(Fixtures.maxRelativeDifference(cg, cholesky)).isLessThan(1e-8);
    Fixtures.set(flow, "a", cholesky, backend);
    double[] v = flow.evaluate(true).velocity().get("a").toDoubleArray();
    double vmax = 0;
    for (double vi : v) {
      vmax = Math.max(vmax, Math.abs(vi));
    }
    assertThat(vmax).isLessThan(1e-10);
  }

  private static double[] toDouble(int[] xs) {
    double[] out = new double[xs.length];
    for (int i = 0; i < xs.length; i++) {
      out[i] = xs[i];
    }
    return out;
  }
}
