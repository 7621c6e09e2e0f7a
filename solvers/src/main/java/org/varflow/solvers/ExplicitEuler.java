package org.varflow.solvers;

import java.util.Map;
import org.varflow.api.Options;
import org.varflow.api.SpecException;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.solve.Observer;
import org.varflow.api.solve.SolveResult;
import org.varflow.api.solve.Solver;
import org.varflow.api.tensor.Tensor;

/**
 * Explicit (forward) Euler for dθ/dt = v(θ): θ_{k+1} = θ_k + h·v(θ_k), t_k = k·h. On a particle
 * discretization of a mean-field model, v = −m∇E, so this is gradient descent with learning rate h·m.
 *
 * <p>Options: {@code step} h &gt; 0 (default 0.1); {@code steps} or final {@code time} (one of them,
 * default 1000 steps); {@code record_every} (default 10; step 0 and the last step are always recorded).
 */
public final class ExplicitEuler implements Solver {

  @Override
  public String id() {
    return "explicit-euler";
  }

  @Override
  public String description() {
    return "explicit Euler θ ← θ + h·v(θ) (gradient descent with learning rate h·m on particles)";
  }

  @Override
  public SolveResult solve(DiscreteFlow flow, Options options, Observer observer) {
    double h = TimeLoop.step(options, 0.1);
    long steps = plannedSteps(options, h);
    long recordEvery = TimeLoop.recordEvery(options);
    observer.onStart(steps);
    Map<String, Tensor> state = flow.state();
    TimeLoop.Advance euler = (k, eval) -> eval.velocity().forEach((name, v) -> {
      state.get(name).axpyi(h, v); // θ ← θ + h·v(θ)
      v.release();
    });
    return TimeLoop.run(flow, observer, h, steps, recordEvery, true, euler, Map::of);
  }

  /** The number of steps: {@code steps}, or ⌈time/h⌉ when {@code time} is given instead. */
  static long plannedSteps(Options options, double h) {
    if (options.has("steps") && options.has("time")) {
      throw new SpecException(options.keyPath("time"), "give either steps or time, not both");
    }
    long steps = options.findDouble("time")
        .map(time -> (long) Math.ceil(time / h - 1e-9))
        .orElseGet(() -> options.getLong("steps", 1000));
    if (steps < 0) {
      throw new SpecException(options.keyPath(options.has("time") ? "time" : "steps"), "must not be negative");
    }
    return steps;
  }
}
