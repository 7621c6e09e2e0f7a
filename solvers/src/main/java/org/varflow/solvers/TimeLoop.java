package org.varflow.solvers;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.plugin.Refusal;
import org.varflow.api.solve.DivergenceException;
import org.varflow.api.solve.Observer;
import org.varflow.api.solve.SolveResult;
import org.varflow.api.solve.Solver;
import org.varflow.api.solve.StepRecord;
import org.varflow.api.tensor.Tensor;

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

  /** The most steps a time stepper takes: 10¹² (some 30 years at a step a millisecond). */
  static final long MAX_STEPS = 1_000_000_000_000L;

  private TimeLoop() {}

  /** @return {@code options} with the time steppers' {@code step}, {@code steps}, {@code time} and {@code record_every} */
  static OptionSchema.Builder declare(OptionSchema.Builder options) {
    return options
        .number("step", 0.1, "time step h").positive()
        .integer("steps", null, "number of steps").atLeast(0).atMost(MAX_STEPS)
        .computedDefault("1000, unless time is given")
        .number("time", null, "final time T instead of steps: ⌈T/h⌉ steps").atLeast(0)
        .integer("record_every", 10L, "a history row every k steps (and at the first and the last)").atLeast(1)
        .integer(Solver.CHECKPOINT_EVERY, null, "steps between the checkpoints a run resumes from").atLeast(1)
        .computedDefault("a checkpoint a minute");
  }

  /** The number of steps: {@code steps}, or ⌈time/h⌉ when {@code time} is given instead. */
  static long plannedSteps(Options options, double h) {
    Refusal.require(refusal(options));
    return options.findDouble("time")
        .map(time -> (long) Math.ceil(time / h - 1e-9))
        .orElseGet(() -> options.getLong("steps", 1000));
  }

  /**
   * @return why {@code steps}, {@code time} and {@code step} give no number of steps: steps and time both given, or
   *     time/step more than {@link #MAX_STEPS}
   */
  static Optional<Refusal> refusal(Options options) {
    if (options.has("steps") && options.has("time")) {
      return Optional.of(new Refusal(options.keyPath("time"), "give either steps or time, not both"));
    }
    double h = options.getDouble("step");
    return options.findDouble("time").filter(time -> Math.ceil(time / h - 1e-9) > MAX_STEPS).map(time -> new Refusal(
        options.keyPath("time"), String.format(Locale.ROOT, "time/step = %s / %s = %.3g steps, more than the 10^12 a"
            + " run takes; give a shorter %s or a larger %s", time, h, time / h, options.keyPath("time"),
            options.keyPath("step"))));
  }

  /**
   * Runs steps {@code first} … {@code steps} − 1 of size {@code h}; the caller has already called
   * {@link Observer#onStart}. From {@code first} > 0 it continues a loop that was stopped there.
   *
   * @param velocity whether {@code advance} needs the velocity at step k; {@code advance} releases it, and the loop
   *     does where it ends (an observer's stop, a divergence)
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
      boolean advanced = false;
      try {
        if (!Double.isFinite(eval.energy())) {
          throw new DivergenceException(k, t, "energy is " + eval.energy() + " " + eval.parts() + " with solver.step = "
              + h);
        }
        if ((last || k % recordEvery == 0) && !observer.onRecord(new StepRecord(k, t, eval))) {
          return new SolveResult(k, t, true, diagnostics.get());
        }
        if (last) {
          return new SolveResult(k, t, false, diagnostics.get());
        }
        advanced = true;
        advance.step(k, eval); // takes the velocity over
      } finally {
        if (!advanced && eval.velocity() != null) {
          eval.velocity().values().forEach(Tensor::release); // a solve that ends here never uses it
        }
      }
      observer.onStep(k + 1);
    }
  }
}
