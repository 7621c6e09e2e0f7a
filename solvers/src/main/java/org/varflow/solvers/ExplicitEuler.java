package org.varflow.solvers;

import java.util.Map;
import org.varflow.api.Options;
import org.varflow.api.SpecException;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.solve.DivergenceException;
import org.varflow.api.solve.Observer;
import org.varflow.api.solve.SolveResult;
import org.varflow.api.solve.Solver;
import org.varflow.api.solve.StepRecord;
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
    double h = options.getDouble("step", 0.1);
    if (!(h > 0) || Double.isInfinite(h)) {
      throw new SpecException(options.keyPath("step"), "must be a positive finite number, got " + h);
    }
    long steps = plannedSteps(options, h);
    long recordEvery = options.getLong("record_every", 10);
    if (recordEvery < 1) {
      throw new SpecException(options.keyPath("record_every"), "must be at least 1, got " + recordEvery);
    }
    observer.onStart(steps);
    Map<String, Tensor> state = flow.state();
    for (long k = 0; ; k++) {
      double t = k * h;
      boolean last = k == steps;
      Evaluation eval = flow.evaluate(!last);
      if (!Double.isFinite(eval.energy())) {
        throw new DivergenceException(k, t, "energy is " + eval.energy() + " " + eval.parts());
      }
      if ((last || k % recordEvery == 0) && !observer.onRecord(new StepRecord(k, t, eval))) {
        return new SolveResult(k, t, true);
      }
      if (last) {
        return new SolveResult(k, t, false);
      }
      // θ ← θ + h·v(θ)
      eval.velocity().forEach((name, v) -> {
        state.get(name).axpyi(h, v);
        v.release();
      });
      observer.onStep(k + 1);
    }
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
