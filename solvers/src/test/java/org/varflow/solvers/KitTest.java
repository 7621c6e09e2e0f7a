package org.varflow.solvers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.solve.SolveContext;
import org.varflow.api.tensor.Backend;
import org.varflow.api.tensor.Tensor;
import org.varflow.kit.SolverKit;
import org.varflow.solvers.stepping.TimeStepper;

/**
 * The solver kit on the built-in solvers — explicit and implicit Euler are first order on both backends, the
 * stationary solver is checked for its tensors only — and the kit failing, with the message that says why, on a
 * solver that leaks its velocity, on two stochastic solvers that a resumed run cannot repeat (noise from a fresh
 * {@link Random}; noise indexed by a step count kept outside the solver state), and on Euler claiming order 2.
 */
class KitTest {

  @Test
  void explicitEulerPassesTheKitWithOrderOne() {
    SolverKit kit = SolverKit.of(new ExplicitEuler()).order(1);
    assertThat(kit.backends()).extracting(b -> b.id()).contains("jvm", "nd4j-cpu");
    assertThat(kit.skipped()).isEmpty();
    kit.verify();
  }

  @Test
  void implicitEulerPassesTheKitWithOrderOne() {
    SolverKit.of(new ImplicitEuler()).order(1).verify();
  }

  /** The stationary solver takes only the quadratic flow, and has no step to measure an order in, nor a resume. */
  @Test
  void theStationarySolverPassesWhatTheKitChecksOfIt() {
    SolverKit kit = SolverKit.of(new Stationary()).order(1);
    assertThat(kit.checks()).extracting(c -> c.name()).containsExactlyInAnyOrder("tensorsAreReleased on jvm",
        "tensorsAreReleased on nd4j-cpu");
    assertThat(String.join("\n", kit.skipped())).contains("flow 'logistic'", "refuses it", "does not declare"
        + " checkpoint_every", "no 'step' option");
    kit.verify();
  }

  @Test
  void aSolverThatLeaksItsVelocityFails() {
    SolverKit kit = SolverKit.of(new Leaky());
    assertThatThrownBy(() -> kit.tensorsAreReleased(backend(kit, "jvm"))).isInstanceOf(AssertionError.class)
        .hasMessageContaining("solver 'leaky' on jvm, flow 'logistic': a whole solve of 12 steps leaves 24 tensors live");
    assertThatThrownBy(kit::verify).isInstanceOf(AssertionError.class).hasMessageContaining("24 tensors live");
  }

  @Test
  void aSolverWithNoiseFromAFreshRandomFailsTheResume() {
    SolverKit kit = SolverKit.of(new FreshNoise());
    kit.tensorsAreReleased(backend(kit, "jvm"));
    assertThatThrownBy(() -> kit.resumesBitForBit(backend(kit, "jvm"))).isInstanceOf(AssertionError.class)
        .hasMessageContaining("solver 'fresh-noise' on jvm, flow 'logistic': a solve resumed at step 5")
        .hasMessageContaining("ends with u[0] = ")
        .hasMessageContaining("context.seed(stream, k)");
  }

  @Test
  void aSolverThatKeepsItsStepCountOutsideTheSolverStateFailsTheResume() {
    SolverKit kit = SolverKit.of(new UncheckpointedCount());
    assertThatThrownBy(() -> kit.resumesBitForBit(backend(kit, "nd4j-cpu"))).isInstanceOf(AssertionError.class)
        .hasMessageContaining("solver 'uncheckpointed-count' on nd4j-cpu, flow 'logistic': a solve resumed at step 5")
        .hasMessageContaining("context.state()");
  }

  /** The same stepper with the count in the solver state passes: the kit tells the two apart. */
  @Test
  void aSolverThatCheckpointsItsStepCountPasses() {
    SolverKit.of(new CheckpointedCount()).verify();
  }

  @Test
  void eulerClaimingOrderTwoFails() {
    SolverKit kit = SolverKit.of(new ExplicitEuler()).order(2);
    assertThatThrownBy(() -> kit.hasOrder(backend(kit, "jvm"))).isInstanceOf(AssertionError.class)
        .hasMessageContaining("solver 'explicit-euler' on jvm, flow 'logistic': claims order 2, but its error at t = 1"
            + " falls like h^1.0")
        .hasMessageContaining("allowed 2 ± 0.25");
  }

  private static Backend backend(SolverKit kit, String id) {
    return kit.backends().stream().filter(b -> b.id().equals(id)).findFirst().orElseThrow();
  }

  /** θ ← θ + h·v without releasing v. */
  static final class Leaky extends TimeStepper {
    @Override
    public String id() {
      return "leaky";
    }

    @Override
    public String description() {
      return "explicit Euler that keeps its velocities";
    }

    @Override
    protected Step start(SolveContext context, double h) {
      Map<String, Tensor> state = context.flow().state();
      return (k, eval) -> eval.velocity().forEach((name, v) -> state.get(name).axpyi(h, v));
    }
  }

  /** θ ← θ + h·v + 0.01·ξ, ξ from a new {@link Random} for each solve. */
  static final class FreshNoise extends TimeStepper {
    @Override
    public String id() {
      return "fresh-noise";
    }

    @Override
    public String description() {
      return "noisy Euler drawing from a fresh generator";
    }

    @Override
    protected Step start(SolveContext context, double h) {
      Map<String, Tensor> state = context.flow().state();
      Random random = new Random();
      return (k, eval) -> eval.velocity().forEach((name, v) -> {
        Tensor theta = state.get(name);
        double[] xi = new double[(int) theta.size()];
        for (int i = 0; i < xi.length; i++) {
          xi[i] = 0.01 * random.nextGaussian();
        }
        Tensor noise = theta.factory().of(theta.precision(), xi, theta.shape());
        theta.axpyi(h, v).addi(noise);
        Tensor.releaseAll(v, noise);
      });
    }
  }

  /** θ ← θ + h·v + 0.01·ξ_c, ξ_c from seed("noise", c) with c its count of steps, saved in the solver state or not. */
  abstract static class CountedNoise extends TimeStepper {
    private final boolean saved;

    CountedNoise(boolean saved) {
      this.saved = saved;
    }

    @Override
    public String description() {
      return "noisy Euler indexing its noise by a step count";
    }

    @Override
    protected Step start(SolveContext context, double h) {
      Map<String, Tensor> state = context.flow().state();
      double[] count = saved ? context.state().get("count").orElse(new double[1]) : new double[1];
      return (long k, Evaluation eval) -> {
        eval.velocity().forEach((name, v) -> {
          Tensor theta = state.get(name);
          Tensor noise = theta.factory().normal(theta.precision(), context.seed("noise-" + name, (long) count[0]), 0,
              0.01, theta.shape());
          theta.axpyi(h, v).addi(noise);
          Tensor.releaseAll(v, noise);
        });
        count[0]++;
        if (saved) {
          context.state().put("count", count);
        }
      };
    }
  }

  static final class UncheckpointedCount extends CountedNoise {
    UncheckpointedCount() {
      super(false);
    }

    @Override
    public String id() {
      return "uncheckpointed-count";
    }
  }

  static final class CheckpointedCount extends CountedNoise {
    CheckpointedCount() {
      super(true);
    }

    @Override
    public String id() {
      return "checkpointed-count";
    }
  }
}
