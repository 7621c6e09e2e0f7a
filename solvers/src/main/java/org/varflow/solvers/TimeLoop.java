package org.varflow.solvers;

import java.util.Map;
import java.util.function.Supplier;
import org.varflow.api.Options;
import org.varflow.api.SpecException;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.solve.DivergenceException;
import org.varflow.api.solve.Observer;
import org.varflow.api.solve.SolveResult;
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

  /** @return option {@code step}: a positive finite h (default {@code def}) */
  static double step(Options options, double def) {
    double h = options.getDouble("step", def);
    if (!(h > 0) || Double.isInfinite(h)) {
      throw new SpecException(options.keyPath("step"), "must be a positive finite number, got " + h);
    }
    return h;
  }

  /** @return option {@code record_every}: at least 1 (default 10) */
  static long recordEvery(Options options) {
    long recordEvery = options.getLong("record_every", 10);
    if (recordEvery < 1) {
      throw new SpecException(options.keyPath("record_every"), "must be at least 1, got " + recordEvery);
    }
    return recordEvery;
  }

  /**
   * Runs {@code steps} steps of size {@code h}; the caller has already called {@link Observer#onStart}.
   *
   * @param velocity whether {@code advance} needs the velocity at step k
   * @param diagnostics read once, when the loop ends
   * @return how far the loop went
   * @throws DivergenceException when the energy stops being finite
   */
  static SolveResult run(DiscreteFlow flow, Observer observer, double h, long steps, long recordEvery,
      boolean velocity, Advance advance, Supplier<Map<String, Double>> diagnostics) {
    for (long k = 0; ; k++) {
      double t = k * h;
      boolean last = k == steps;
      Evaluation eval = flow.evaluate(velocity && !last);
      if (!Double.isFinite(eval.energy())) {
        throw new DivergenceException(k, t, "energy is " + eval.energy() + " " + eval.parts());
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
