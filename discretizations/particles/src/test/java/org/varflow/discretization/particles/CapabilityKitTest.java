package org.varflow.discretization.particles;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Discretization;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.flow.FlowContext;
import org.varflow.api.flow.MiniBatches;
import org.varflow.api.flow.Particles;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.kit.DiscretizationKit;

/**
 * The kit's capability check fails, with a message that says what is wrong, for a flow whose mini-batches ignore
 * the rows they are given and for one whose particle capability names a tensor the state does not have (the
 * particles themselves pass it: {@link KitTest}).
 */
class CapabilityKitTest {
  private static final VariationalProblem PROBLEM = ParticleFlowTest.problem(Activation.TANH);
  private static final PluginRegistry REGISTRY = PluginRegistry.load(CapabilityKitTest.class.getClassLoader());

  @Test
  void miniBatchesThatIgnoreTheirRowsFail() {
    Discretization broken = wrapping(flow -> new Decorated(flow) {
      @Override
      public Optional<MiniBatches> batches() {
        return Optional.of(new MiniBatches() {
          @Override
          public int samples() {
            return PROBLEM.train().n();
          }

          @Override
          public Evaluation evaluate(int[] rows, boolean withVelocity) {
            return flow.evaluate(withVelocity); // the whole set, whatever the rows
          }
        });
      }
    });
    assertThatThrownBy(() -> DiscretizationKit.of(broken, PROBLEM, Map.of("width", 5))
        .capabilitiesKeepTheirPromises(REGISTRY.backend("jvm")))
        .isInstanceOf(AssertionError.class).hasMessageContaining("risk of the batch {0}");
  }

  @Test
  void particlesNamingATensorTheStateLacksFail() {
    Discretization broken = wrapping(flow -> new Decorated(flow) {
      @Override
      public Optional<Particles> particles() {
        return Optional.of(new Particles() {
          @Override
          public int count() {
            return 5;
          }

          @Override
          public List<String> positions() {
            return List.of("a", "theta");
          }
        });
      }
    });
    assertThatThrownBy(() -> DiscretizationKit.of(broken, PROBLEM, Map.of("width", 5))
        .capabilitiesKeepTheirPromises(REGISTRY.backend("jvm")))
        .isInstanceOf(AssertionError.class).hasMessageContaining("particles() names position 'theta', which is not in"
            + " state()");
  }

  /** @return particles whose flow is decorated by {@code decorate} */
  private static Discretization wrapping(UnaryOperator<DiscreteFlow> decorate) {
    ParticleDiscretization particles = new ParticleDiscretization();
    return new Discretization() {
      @Override
      public String id() {
        return "broken";
      }

      @Override
      public String description() {
        return "particles with a broken capability";
      }

      @Override
      public OptionSchema options() {
        return particles.options();
      }

      @Override
      public Optional<org.varflow.api.plugin.Refusal> refusal(VariationalProblem problem) {
        return particles.refusal(problem);
      }

      @Override
      public DiscreteFlow discretize(VariationalProblem problem, Options options, FlowContext context) {
        return decorate.apply(particles.discretize(problem, options, context));
      }
    };
  }

  /** A flow that passes everything on to another, so a test overrides one capability. */
  private static class Decorated implements DiscreteFlow {
    private final DiscreteFlow flow;

    Decorated(DiscreteFlow flow) {
      this.flow = flow;
    }

    @Override
    public Map<String, Tensor> state() {
      return flow.state();
    }

    @Override
    public Evaluation evaluate(boolean withVelocity) {
      return flow.evaluate(withVelocity);
    }

    @Override
    public Tensor predictions(Dataset data) {
      return flow.predictions(data);
    }

    @Override
    public Optional<Particles> particles() {
      return flow.particles();
    }

    @Override
    public Optional<MiniBatches> batches() {
      return flow.batches();
    }

    @Override
    public void close() {
      flow.close();
    }
  }
}
