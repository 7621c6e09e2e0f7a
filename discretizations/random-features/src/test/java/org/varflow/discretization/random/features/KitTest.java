package org.varflow.discretization.random.features;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Activation;
import org.varflow.kit.DiscretizationKit;
import org.varflow.kit.Metric;

/**
 * The plugin kit on the random feature family: Monte Carlo features move a in L²(π) (velocity −m∂E/∂a,
 * metric I/m); the kernel flow moves c in the metric K, recovered from its operator as K = n(A − αI).
 */
class KitTest {
  private static final double ALPHA = 0.05;
  private static final VariationalProblem PROBLEM = Fixtures.problem(Fixtures.data(24, 3, 5), Activation.TANH, "gaussian",
      1.0, ALPHA);

  @Test
  void randomFeaturesPassTheKit() {
    DiscretizationKit.of(new RandomFeatureDiscretization(), PROBLEM, Map.of("width", 8, "init", Map.of("kind", "gaussian")))
        .metric(Metric.scaled(1.0 / 8)).verify();
  }

  @Test
  void theKernelPassesTheKit() {
    DiscretizationKit.of(new KernelDiscretization(), PROBLEM, Map.of("kernel_samples", 400))
        .metric(Fixtures.kernelMetric(PROBLEM.train().n(), ALPHA)).verify();
  }
}
