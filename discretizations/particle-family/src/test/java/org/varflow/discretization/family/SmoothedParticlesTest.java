package org.varflow.discretization.family;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Discretization;
import org.varflow.api.flow.FlowContext;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.Loss;
import org.varflow.api.problem.TwoLayerModel;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.problem.WeightDecay;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Precision;
import org.varflow.kit.DiscretizationKit;
import org.varflow.kit.Metric;

/**
 * Smoothed particles pass the kit in the metric I/m on every backend, and approach {@code particles} as s → 0 at the
 * rate the antithetic draws give: the energy and the velocity differ by O(s²) (fitted slope 2 ± 0.15 over
 * s = 0.1, 0.05, 0.025), and by O(s) with one draw (slope 1 ± 0.15), where nothing cancels.
 */
class SmoothedParticlesTest {
  private static final PluginRegistry REGISTRY = PluginRegistry.load(SmoothedParticlesTest.class.getClassLoader());
  private static final int M = 6;
  private static final VariationalProblem PROBLEM = problem();

  private static VariationalProblem problem() {
    SplittableRandom rng = new SplittableRandom(1);
    int n = 30;
    double[] x = rng.doubles(2L * n, -1, 1).toArray();
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = Math.sin(2 * x[2 * i]) * x[2 * i + 1];
    }
    return new VariationalProblem(new Dataset("test", n, 2, x, y), null, new TwoLayerModel(Activation.TANH, true),
        Loss.SQUARED, List.of(new WeightDecay(0.01)));
  }

  @Test
  void passesTheKitOnEveryBackendInBlocks() {
    DiscretizationKit.of(new SmoothedParticles(), PROBLEM, Map.of("width", M, "smoothing", 0.3, "draws", 4, "block", 4))
        .metric(Metric.scaled(1.0 / M)).verify();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 4})
  void approachesParticlesAsTheSmoothingVanishes(int draws) {
    double[] s = {0.1, 0.05, 0.025};
    double[] gaps = new double[s.length];
    double[] reference = evaluate(REGISTRY.discretization("particles"), Map.of("width", M));
    for (int i = 0; i < s.length; i++) {
      double[] smoothed = evaluate(new SmoothedParticles(), Map.of("width", M, "smoothing", s[i], "draws", draws));
      double gap = 0;
      for (int k = 0; k < smoothed.length; k++) {
        gap = Math.max(gap, Math.abs(smoothed[k] - reference[k]));
      }
      gaps[i] = gap;
    }
    double slope = (Math.log(gaps[0]) - Math.log(gaps[2])) / (Math.log(s[0]) - Math.log(s[2]));
    System.out.printf("smoothed-particles, %d draws: gap %s, order %.3f%n", draws, java.util.Arrays.toString(gaps), slope);
    assertThat(slope).isCloseTo(draws % 2 == 0 ? 2.0 : 1.0, org.assertj.core.api.Assertions.within(0.15));
  }

  /** @return the energy then the velocity of a and W at the initial particles (the same for both, from seed 3) */
  private static double[] evaluate(Discretization d, Map<String, ?> options) {
    try (DiscreteFlow flow = d.discretize(PROBLEM, d.options().node("discretization", options),
        new FlowContext(REGISTRY.backend("jvm"), Precision.FLOAT64, 3))) {
      var e = flow.evaluate(true);
      double[] a = e.velocity().get("a").toDoubleArray();
      double[] w = e.velocity().get("W").toDoubleArray();
      e.velocity().values().forEach(org.varflow.api.tensor.Tensor::release);
      double[] out = new double[1 + a.length + w.length];
      out[0] = e.energy();
      System.arraycopy(a, 0, out, 1, a.length);
      System.arraycopy(w, 0, out, 1 + a.length, w.length);
      return out;
    }
  }
}
