package org.varflow.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.varflow.api.problem.ParticlePotential;
import org.varflow.api.problem.WeightDecay;
import org.varflow.api.tensor.Tensor;
import org.varflow.kit.RegularizerKit;

/**
 * The regularizer kit on weight decay, a particle potential, on both backends; failing on a weight decay whose
 * velocity is half its gradient; and saying that it cannot check Tikhonov, which is no particle potential.
 */
class KitTest {

  @Test
  void weightDecayPassesTheKit() {
    RegularizerKit kit = RegularizerKit.of(new WeightDecayKind(), Map.of("strength", 0.3));
    assertThat(kit.backends()).extracting(b -> b.id()).contains("jvm", "nd4j-cpu");
    assertThat(kit.checks()).hasSize(5);
    kit.verify();
  }

  @Test
  void halvingTheGradientFails() {
    RegularizerKit kit = RegularizerKit.of(new HalvedWeightDecay(0.3));
    assertThatThrownBy(() -> kit.velocityIsMinusTheGradient(kit.backends().get(0))).isInstanceOf(AssertionError.class)
        .hasMessageContaining("regularizer 'halved-weight-decay' on " + kit.backends().get(0).id())
        .hasMessageContaining("the velocity addVelocity adds is not −∇V")
        .hasMessageContaining("a[0]: added ");
  }

  @Test
  void aRegularizerThatIsNoParticlePotentialIsNotChecked() {
    RegularizerKit kit = RegularizerKit.of(new TikhonovKind(), Map.of("strength", 0.1));
    assertThat(kit.checks()).isEmpty();
    assertThat(kit.skipped()).singleElement().asString().contains("'tikhonov' is not a ParticlePotential",
        "DiscretizationKit");
    assertThatThrownBy(kit::verify).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the kit has nothing to check");
  }

  /** V = (κ/2)|θ|², with the velocity −κθ/2: half of −∇V. */
  record HalvedWeightDecay(double strength) implements ParticlePotential {
    @Override
    public String kind() {
      return "halved-weight-decay";
    }

    @Override
    public Tensor values(Tensor a, Tensor w) {
      return new WeightDecay(strength).values(a, w);
    }

    @Override
    public void addVelocity(Tensor a, Tensor w, Tensor va, Tensor vw) {
      new WeightDecay(strength / 2).addVelocity(a, w, va, vw);
    }
  }
}
