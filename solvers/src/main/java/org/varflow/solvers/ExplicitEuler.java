package org.varflow.solvers;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.varflow.api.Options;
import org.varflow.api.plugin.Refusal;
import org.varflow.api.solve.SolveContext;
import org.varflow.api.tensor.Tensor;
import org.varflow.solvers.stepping.TimeStepper;

/**
 * Explicit (forward) Euler for dθ/dt = v(θ): θ_{k+1} = θ_k + h·v(θ_k), t_k = k·h. On a particle
 * discretization of a mean-field model, v = −m∇E, so this is gradient descent with learning rate h·m.
 *
 * <p>Options: {@code step} h &gt; 0 (default 0.1); {@code steps} or final {@code time} (one of them,
 * default 1000 steps); {@code record_every} (default 10; step 0 and the last step are always recorded);
 * {@code checkpoint_every} (it can continue an interrupted solve).
 */
public final class ExplicitEuler extends TimeStepper {

  @Override
  public String id() {
    return "explicit-euler";
  }

  @Override
  public String description() {
    return "explicit Euler θ ← θ + h·v(θ) (gradient descent with learning rate h·m on particles)";
  }

  /** The error mode of eigenvalue λ is multiplied by 1 − hλ per step: stable only while h &lt; 2/L. */
  @Override
  public Optional<Refusal> instability(double lipschitz, Options options) {
    double h = options.getDouble("step");
    return h < 2 / lipschitz ? Optional.empty() : Optional.of(new Refusal(options.keyPath("step"), String.format(
        Locale.ROOT, "h = %.6g is at or above the largest stable explicit step 2/L = %.6g: the mode of λ_max grows by"
        + " |1 − hL| = %.4g per step; take a smaller step or implicit-euler", h, 2 / lipschitz, Math.abs(1 - h * lipschitz))));
  }

  /** θ ← θ + h·v(θ). */
  @Override
  protected Step start(SolveContext context, double h) {
    Map<String, Tensor> state = context.flow().state();
    return (k, eval) -> eval.velocity().forEach((name, v) -> {
      state.get(name).axpyi(h, v);
      v.release();
    });
  }
}
