package org.varflow.discretization.particles;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Activation;
import org.varflow.kit.DiscretizationKit;
import org.varflow.kit.Metric;

/** The plugin kit on particles: the velocity is −m∇E (metric I/m), and the kit notices when it is not. */
class KitTest {
  private static final int M = 6;
  private static final VariationalProblem PROBLEM = ParticleFlowTest.problem(Activation.TANH);

  @Test
  void particlesPassTheKit() {
    DiscretizationKit.of(new ParticleDiscretization(), PROBLEM, Map.of("width", M)).metric(Metric.scaled(1.0 / M)).verify();
  }

  /** With the wrong metric (G = I, as if the velocity were −∇E) the gradient check fails, naming a coordinate. */
  @Test
  void theKitFailsOnTheWrongMetric() {
    DiscretizationKit kit = DiscretizationKit.of(new ParticleDiscretization(), PROBLEM, Map.of("width", M));
    assertThatThrownBy(() -> kit.velocityIsTheMetricGradient(kit.backends().get(0))).isInstanceOf(AssertionError.class)
        .hasMessageContaining("discretization 'particles' on").hasMessageContaining("the velocity is not −G⁻¹∇E")
        .hasMessageContaining("a[0]: G·v = ");
  }
}
