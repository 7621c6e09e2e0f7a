package org.varflow.solvers;

import java.util.Map;
import java.util.function.Supplier;
import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.SpecException;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.solve.DivergenceException;
import org.varflow.api.solve.Observer;
import org.varflow.api.solve.SolveResult;
import org.varflow.api.solve.Solver;
import org.varflow.api.solve.StepRecord;

/**
 * The loop shared by the time steppers: evaluate at t_k = k·h, fail on a non-finite energy, record at
 * step 0, every {@code record_every} steps and at the last step, then advance the state to step k + 1.
 */
final class TimeLoop {

  /** Moves the flow's state from step k to step k + 1. */
  @FunctionalInterface
  interface Advance {
    /**
     * @param k the step the state is at
     * @param eval the evaluation at step k (with the velocity when the loop was asked for it)
     */
    void step(long k, Evaluation eval);
  }

  private TimeLoop() {}

  /** @return {@code options} with the time steppers' {@code step}, {@code steps}, {@code time} and {@code record_every} */
  static OptionSchema.Builder declare(OptionSchema.Builder options) {
    return options
        .number("step", 0.1, "time step h").positive()
        .integer("steps", null, "number of steps").atLeast(0).computedDefault("1000, unless time is given")
        .number("time", null, "final time T instead of steps: ⌈T/h⌉ steps").atLeast(0)
        .integer("record_every", 10L, "a history row every k steps (and at the first and the last)").atLeast(1)
        .integer(Solver.CHECKPOINT_EVERY, null, "steps between the checkpoints a run resumes from").atLeast(1)
        .computedDefault("a checkpoint a minute");
  }

  /** The number of steps: {@code steps}, or ⌈time/h⌉ when {@code time} is given instead. */
  static long plannedSteps(Options options, double h) {
    if (options.has("steps") && options.has("time")) {
      throw new SpecException(options.keyPath("time"), "give either steps or time, not both");
    }
    return options.findDouble("time")
        .map(time -> (long) Math.ceil(time / h - 1e-9))
        .orElseGet(() -> options.getLong("steps", 1000));
  }

  /**
   * Runs steps {@code first} … {@code steps} − 1 of size {@code h}; the caller has already called
   * {@link Observer#onStart}. From {@code first} > 0 it continues a loop that was stopped there.
   *
   * @param velocity whether {@code advance} needs the velocity at step k
   * @param diagnostics read once, when the loop ends
   * @return how far the loop went
   * @throws DivergenceException when the energy stops being finite
   */
  static SolveResult run(DiscreteFlow flow, Observer observer, double h, long first, long steps, long recordEvery,
      boolean velocity, Advance advance, Supplier<? extends Map<String, ?>> diagnostics) {
    for (long k = first; ; k++) {
      double t = k * h;
      boolean last = k == steps;
      Evaluation eval = flow.evaluate(velocity && !last);
      if (!Double.isFinite(eval.energy())) {
        throw new DivergenceException(k, t, "energy is " + eval.energy() + " " + eval.parts() + " with solver.step = " + h);
      }
      if ((last || k % recordEvery == 0) && !observer.onRecord(new StepRecord(k, t, eval))) {
        return new SolveResult(k, t, true, diagnostics.get());
      }
      if (last) {
        return new SolveResult(k, t, false, diagnostics.get());
      }
      advance.step(k, eval);
      observer.onStep(k + 1);
    }
  }
}
