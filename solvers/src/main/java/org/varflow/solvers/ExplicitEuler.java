package org.varflow.solvers;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.plugin.Refusal;
import org.varflow.api.solve.Observer;
import org.varflow.api.solve.SolveResult;
import org.varflow.api.solve.Solver;
import org.varflow.api.tensor.Tensor;

/**
 * Explicit (forward) Euler for dθ/dt = v(θ): θ_{k+1} = θ_k + h·v(θ_k), t_k = k·h. On a particle
 * discretization of a mean-field model, v = −m∇E, so this is gradient descent with learning rate h·m.
 *
 * <p>Options: {@code step} h &gt; 0 (default 0.1); {@code steps} or final {@code time} (one of them,
 * default 1000 steps); {@code record_every} (default 10; step 0 and the last step are always recorded);
 * {@code checkpoint_every} (it can continue an interrupted solve).
 */
public final class ExplicitEuler implements Solver {
  private static final OptionSchema OPTIONS = TimeLoop.declare(OptionSchema.builder()).build();

  @Override
  public String id() {
    return "explicit-euler";
  }

  @Override
  public String description() {
    return "explicit Euler θ ← θ + h·v(θ) (gradient descent with learning rate h·m on particles)";
  }

  @Override
  public OptionSchema options() {
    return OPTIONS;
  }

  /** Refuses steps and time given both, or more than 10¹² steps. */
  @Override
  public Optional<Refusal> refusal(Options options) {
    return TimeLoop.refusal(options);
  }

  /** The error mode of eigenvalue λ is multiplied by 1 − hλ per step: stable only while h &lt; 2/L. */
  @Override
  public Optional<Refusal> instability(double lipschitz, Options options) {
    double h = options.getDouble("step");
    return h < 2 / lipschitz ? Optional.empty() : Optional.of(new Refusal(options.keyPath("step"), String.format(
        Locale.ROOT, "h = %.6g is at or above the largest stable explicit step 2/L = %.6g: the mode of λ_max grows by"
        + " |1 − hL| = %.4g per step; take a smaller step or implicit-euler", h, 2 / lipschitz, Math.abs(1 - h * lipschitz))));
  }

  @Override
  public SolveResult solve(DiscreteFlow flow, Options options, Observer observer) {
    return resume(flow, options, observer, 0);
  }

  @Override
  public SolveResult resume(DiscreteFlow flow, Options options, Observer observer, long first) {
    double h = options.getDouble("step");
    long steps = TimeLoop.plannedSteps(options, h);
    long recordEvery = options.getLong("record_every");
    observer.onStart(steps);
    Map<String, Tensor> state = flow.state();
    TimeLoop.Advance euler = (k, eval) -> eval.velocity().forEach((name, v) -> {
      state.get(name).axpyi(h, v); // θ ← θ + h·v(θ)
      v.release();
    });
    return TimeLoop.run(flow, observer, h, first, steps, recordEvery, true, euler, Map::of);
  }
}
