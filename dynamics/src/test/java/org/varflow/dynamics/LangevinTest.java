package org.varflow.dynamics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.problem.WeightDecay;
import org.varflow.api.solve.StepRecord;

/**
 * Langevin particles without a risk are the Ornstein–Uhlenbeck process dθ = −κθ dt + √(2τ) dB, whose law is known:
 * from θ₀ = 1, E θ_t = e^{−κt} and Var θ_t = (τ/κ)(1 − e^{−2κt}), and at long times N(0, τ/κ). Euler–Maruyama with
 * step h has mean (1 − hκ)^k and stationary variance (τ/κ)/(1 − hκ/2): an O(h) bias, stated in each tolerance beside
 * the Monte Carlo error of M = 20000 particles (four standard errors).
 */
class LangevinTest {
  private static final int M = 20_000;
  private static final double KAPPA = 1.0;
  private static final double TAU = 0.5;
  private static final double H = 0.01;
  private static final VariationalProblem PROBLEM = Flows.problem(10, new WeightDecay(KAPPA), new EntropyKind.Term(TAU));

  @ParameterizedTest
  @FieldSource("org.varflow.dynamics.Flows#BACKENDS")
  void theParticlesHaveTheOrnsteinUhlenbeckMomentsAtTimeOne(String backend) {
    double[] theta = run(backend, ones(), 100);
    double mean = mean(theta);
    double variance = variance(theta, mean);
    double t = 100 * H;
    double expectedVariance = TAU / KAPPA * (1 - Math.exp(-2 * KAPPA * t)); // 0.4323
    // Euler–Maruyama's biases at t = 1: mean (0.99)^100 − e^{−1} = −0.0018; variance +0.0029
    assertThat(mean).isCloseTo(Math.exp(-KAPPA * t), within(4 * Math.sqrt(expectedVariance / M) + 0.0018));
    assertThat(variance).isCloseTo(expectedVariance, within(4 * expectedVariance * Math.sqrt(2.0 / M) + 0.0029));
  }

  @ParameterizedTest
  @FieldSource("org.varflow.dynamics.Flows#BACKENDS")
  void atLongTimesTheParticlesSampleTheGibbsDensity(String backend) {
    double[] theta = run(backend, ones(), 1000); // t = 10: e^{−10} of the start is left
    double mean = mean(theta);
    double variance = variance(theta, mean);
    double stationary = TAU / KAPPA; // Euler–Maruyama: (τ/κ)/(1 − hκ/2) = 0.5025, bias 0.0025
    assertThat(mean).isCloseTo(0, within(4 * Math.sqrt(stationary / M)));
    assertThat(variance).isCloseTo(stationary, within(4 * stationary * Math.sqrt(2.0 / M) + 0.0025));
    double kurtosis = Arrays.stream(theta).map(x -> Math.pow(x - mean, 4)).sum() / M / (variance * variance);
    assertThat(kurtosis).isCloseTo(3, within(4 * Math.sqrt(24.0 / M))); // a Gaussian's, standard error √(24/M)
  }

  /**
   * From a concentrated start θ₀ ~ N(0, 0.05²) the free energy F = (κ/2)E θ² + τ∫ρ log ρ, recorded with the
   * Kozachenko–Leonenko estimate from M = 5000 particles, decreases along the run (each record at most 0.04 above the
   * last: three standard deviations of the difference of two estimates, τ·1.28·√(2/M) = 0.013) to its minimum over
   * Gaussians, F* = τ/2 − (τ/2) log(2πe τ/κ), within 0.04.
   */
  @Test
  void theFreeEnergyDecreasesToItsMinimum() {
    SplittableRandom rng = new SplittableRandom(4);
    double[] start = rng.doubles(5000).map(u -> 0.05 * rng.nextGaussian()).toArray();
    Flows.Recorder recorder = new Flows.Recorder();
    try (Flows.Confined flow = new Flows.Confined("jvm", start, KAPPA)) {
      Flows.solve(new Langevin(), flow, PROBLEM, Map.of("step", H, "steps", 500L, "record_every", 25L,
          "entropy_samples", 5000L), recorder);
    }
    List<Double> free = recorder.records.stream().map(StepRecord::columns).map(c -> c.get("free_energy")).toList();
    for (int i = 1; i < free.size(); i++) {
      assertThat(free.get(i)).as("record %d of %s", i, free).isLessThanOrEqualTo(free.get(i - 1) + 0.04);
    }
    double minimum = TAU / 2 - TAU / 2 * Math.log(2 * Math.PI * Math.E * TAU / KAPPA);
    assertThat(free.get(0) - minimum).isGreaterThan(0.5); // the start is far from it
    assertThat(free.get(free.size() - 1)).isCloseTo(minimum, within(0.04));
  }

  /**
   * The Kozachenko–Leonenko estimate of the entropy of N = 2000 samples of N(0, σ²I), σ = 0.7, is within 0.03·d + 0.05
   * of (d/2) log(2πeσ²) in d = 1, 2, 5 (its bias grows with d).
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5})
  void theEntropyEstimateMatchesGaussians(int d) {
    SplittableRandom rng = new SplittableRandom(d);
    int n = 2000;
    double sigma = 0.7;
    double[] samples = new double[n * d];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = sigma * rng.nextGaussian();
    }
    double exact = d / 2.0 * Math.log(2 * Math.PI * Math.E * sigma * sigma);
    double estimate = KozachenkoLeonenko.entropy(samples, n, d);
    System.out.printf("d = %d: entropy estimate %.4f, exact %.4f%n", d, estimate, exact);
    assertThat(estimate).isCloseTo(exact, within(0.03 * d + 0.05));
  }

  private static double[] run(String backend, double[] start, long steps) {
    try (Flows.Confined flow = new Flows.Confined(backend, start, KAPPA)) {
      Flows.solve(new Langevin(), flow, PROBLEM, Map.of("step", H, "steps", steps, "record_every", steps,
          "entropy_samples", 2L), new Flows.Recorder());
      return flow.state().get("theta").toDoubleArray();
    }
  }

  private static double[] ones() {
    double[] x = new double[M];
    Arrays.fill(x, 1.0);
    return x;
  }

  private static double mean(double[] x) {
    return Arrays.stream(x).sum() / x.length;
  }

  private static double variance(double[] x, double mean) {
    return Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum() / x.length;
  }
}
