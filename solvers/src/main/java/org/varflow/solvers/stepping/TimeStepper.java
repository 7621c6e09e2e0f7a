package org.varflow.solvers.stepping;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.plugin.Refusal;
import org.varflow.api.solve.DivergenceException;
import org.varflow.api.solve.Observer;
import org.varflow.api.solve.SolveContext;
import org.varflow.api.solve.SolveResult;
import org.varflow.api.solve.Solver;
import org.varflow.api.solve.StepRecord;
import org.varflow.api.tensor.Tensor;

/**
 * The base of a time stepper θ_k → θ_{k+1} with t_k = k·h: a subclass says how one step goes ({@link #start}), and
 * this class does the rest once — the options {@code step}, {@code steps} or {@code time}, {@code record_every} and
 * {@code checkpoint_every}; evaluating at every step and failing on a non-finite energy; recording at step 0, every
 * {@code record_every} steps and at the last step (with the stepper's own history columns); letting the observer stop
 * the solve; releasing the velocity where the solve ends; continuing a resumed solve from its first step. A run then
 * gives the stepper checkpoints, {@code --resume}, progress and history.
 *
 * <p>Heun's method, for example, is {@code start} returning {@code (k, eval) -> ...}: save θ, take the Euler
 * predictor θ + h·v, evaluate v there, set θ ← θ_saved + h/2·(v + v̂), and release what it allocated.
 */
public abstract class TimeStepper implements Solver {
  /** The most steps a time stepper takes: 10¹² (some 30 years at a step a millisecond). */
  public static final long MAX_STEPS = 1_000_000_000_000L;

  /** One solve's way of stepping (a new one per solve, so that a solver instance is shared safely). */
  @FunctionalInterface
  public interface Step {
    /**
     * Moves the flow's state from step k to step k + 1.
     *
     * @param k the step the state is at
     * @param eval the evaluation at step k, with the velocity when {@link #needsVelocity} says so (null at the steps
     *     a stepper that does not {@link #evaluatesEveryStep evaluate every step} records no row at); the step
     *     releases the velocity
     */
    void advance(long k, Evaluation eval);

    /** @return the stepper's own history columns at a recorded step k (the same names every time); none by default */
    default Map<String, Double> columns(long k, Evaluation eval) {
      return Map.of();
    }

    /** @return facts for the report, read once when the solve ends; none by default */
    default Map<String, ?> diagnostics() {
      return Map.of();
    }
  }

  /** @return {@code options} with the time steppers' {@code step}, {@code steps}, {@code time}, {@code record_every}, {@code checkpoint_every} */
  protected static OptionSchema.Builder declare(OptionSchema.Builder options) {
    return options
        .number("step", 0.1, "time step h").positive()
        .integer("steps", null, "number of steps").atLeast(0).atMost(MAX_STEPS)
        .computedDefault("1000, unless time is given")
        .number("time", null, "final time T instead of steps: ⌈T/h⌉ steps").atLeast(0)
        .integer("record_every", 10L, "a history row every k steps (and at the first and the last)").atLeast(1)
        .integer(Solver.CHECKPOINT_EVERY, null, "steps between the checkpoints a run resumes from").atLeast(1)
        .computedDefault("a checkpoint a minute");
  }

  /** @return the time stepper's options ({@link #declare}); a stepper with more overrides this */
  @Override
  public OptionSchema options() {
    return declare(OptionSchema.builder()).build();
  }

  /**
   * @return why {@code steps}, {@code time} and {@code step} give no number of steps: steps and time both given, or
   *     time/step more than {@link #MAX_STEPS}
   */
  @Override
  public Optional<Refusal> refusal(Options options) {
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
   * Begins one solve (new or resumed: {@link SolveContext#first()} and {@link SolveContext#state()} say which).
   *
   * @param h the time step
   * @return how this solve steps
   */
  protected abstract Step start(SolveContext context, double h);

  /** @return whether {@link Step#advance} needs the velocity at step k; true by default */
  protected boolean needsVelocity(SolveContext context) {
    return true;
  }

  /**
   * @return whether the base evaluates the flow at every step: true by default (each step gets the evaluation, and a
   *     non-finite energy stops the solve at once). A stepper that evaluates for itself (on mini-batches) returns
   *     false: its steps get the whole evaluation only where a row is recorded, else null, and it throws
   *     {@link DivergenceException} itself.
   */
  protected boolean evaluatesEveryStep(SolveContext context) {
    return true;
  }

  /**
   * @param h the time step
   * @return the number of steps: {@code steps}, or ⌈time/h⌉ (default 1000); a stepper with another way to say it
   *     (epochs of mini-batches) overrides this
   */
  protected long steps(SolveContext context, double h) {
    Options options = context.options();
    return options.findDouble("time").map(time -> (long) Math.ceil(time / h - 1e-9))
        .orElseGet(() -> options.getLong("steps", 1000));
  }

  /** Runs steps {@code first} … {@code steps} − 1 of size h. */
  @Override
  public final SolveResult solve(SolveContext context) {
    Options options = context.options();
    Refusal.require(refusal(options));
    double h = options.getDouble("step");
    long steps = steps(context, h);
    long recordEvery = options.getLong("record_every");
    boolean velocity = needsVelocity(context);
    boolean every = evaluatesEveryStep(context);
    Step step = start(context, h);
    DiscreteFlow flow = context.flow();
    Observer observer = context.observer();
    observer.onStart(steps);
    for (long k = context.first(); ; k++) {
      double t = k * h;
      boolean last = k == steps;
      boolean record = last || k % recordEvery == 0;
      Evaluation eval = every || record ? flow.evaluate(velocity && !last) : null;
      boolean advanced = false;
      try {
        if (eval != null && !Double.isFinite(eval.energy())) {
          throw new DivergenceException(k, t, "energy is " + eval.energy() + " " + eval.parts() + " with solver.step = "
              + h);
        }
        if (record && !observer.onRecord(new StepRecord(k, t, eval, step.columns(k, eval)))) {
          return new SolveResult(k, t, true, step.diagnostics());
        }
        if (last) {
          return new SolveResult(k, t, false, step.diagnostics());
        }
        advanced = true;
        step.advance(k, eval); // takes the velocity over
      } finally {
        if (!advanced && eval != null && eval.velocity() != null) {
          eval.velocity().values().forEach(Tensor::release); // a solve that ends here never uses it
        }
      }
      observer.onStep(k + 1);
    }
  }
}
