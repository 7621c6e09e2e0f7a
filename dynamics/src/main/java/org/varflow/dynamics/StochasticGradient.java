package org.varflow.dynamics;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.flow.MiniBatches;
import org.varflow.api.plugin.Refusal;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.solve.DivergenceException;
import org.varflow.api.solve.SolveContext;
import org.varflow.api.tensor.Tensor;
import org.varflow.solvers.stepping.TimeStepper;

/**
 * Stochastic gradient steps θ ← θ + h·v_B(θ), v_B the velocity of the risk of a mini-batch B of {@code batch}
 * samples (an unbiased estimate of v), with the flow's time step h. Without replacement (the default) each epoch of
 * ⌈n/batch⌉ steps visits every sample once, in a permutation drawn from {@code seed("sgd-permutation", epoch)}; with
 * {@code replacement: true} step k draws its batch from {@code seed("sgd-batch", k)}. Either way a resumed run
 * draws the same batches. A batch of all n samples without replacement is the full evaluation, so the steps equal
 * explicit Euler's. The length is {@code steps}, {@code time} or {@code epochs}; the energy of the whole training
 * set is evaluated only where a history row is recorded.
 */
public final class StochasticGradient extends TimeStepper {
  private static final OptionSchema OPTIONS = declare(OptionSchema.builder())
      .integer("batch", 32L, "samples per mini-batch").atLeast(1)
      .bool("replacement", false, "draw each batch with replacement instead of epochs of permutations")
      .integer("epochs", null, "passes over the data instead of steps or time: epochs·⌈n/batch⌉ steps").atLeast(1)
      .build();

  @Override
  public String id() {
    return "sgd";
  }

  @Override
  public String description() {
    return "stochastic gradient θ ← θ + h·v_B(θ) on mini-batches B (epochs of permutations, or with replacement)";
  }

  @Override
  public OptionSchema options() {
    return OPTIONS;
  }

  @Override
  public Optional<Refusal> refusal(Options options) {
    for (String other : new String[] {"steps", "time"}) {
      if (options.has("epochs") && options.has(other)) {
        return Optional.of(new Refusal(options.keyPath("epochs"), "give one of steps, time and epochs, not " + other
            + " too"));
      }
    }
    return super.refusal(options);
  }

  @Override
  public Optional<Refusal> refusal(VariationalProblem problem, DiscreteFlow flow) {
    return flow.batches().isPresent() ? Optional.empty() : Optional.of(new Refusal("solver.kind", "sgd evaluates"
        + " mini-batches, and this discretization's flow has no batch evaluation"));
  }

  /** @return epochs·⌈n/batch⌉ with {@code epochs}, else as every time stepper */
  @Override
  protected long steps(SolveContext context, double h) {
    Options options = context.options();
    if (!options.has("epochs")) {
      return super.steps(context, h);
    }
    return options.getLong("epochs") * stepsPerEpoch(context);
  }

  @Override
  protected boolean needsVelocity(SolveContext context) {
    return false;
  }

  @Override
  protected boolean evaluatesEveryStep(SolveContext context) {
    return false;
  }

  private static long stepsPerEpoch(SolveContext context) {
    int n = context.flow().batches().orElseThrow().samples();
    long batch = context.options().getLong("batch");
    return (n + batch - 1) / batch;
  }

  @Override
  protected Step start(SolveContext context, double h) {
    DiscreteFlow flow = context.flow();
    MiniBatches batches = flow.batches().orElseThrow();
    Map<String, Tensor> state = flow.state();
    int n = batches.samples();
    int batch = (int) Math.min(n, context.options().getLong("batch"));
    boolean replacement = context.options().getBoolean("replacement");
    long perEpoch = stepsPerEpoch(context);
    return new Step() {
      private long epoch = -1;
      private int[] permutation;

      @Override
      public void advance(long k, Evaluation record) {
        Evaluation e = !replacement && batch == n ? flow.evaluate(true) : batches.evaluate(rows(k), true);
        if (!Double.isFinite(e.energy())) {
          e.velocity().values().forEach(Tensor::release);
          throw new DivergenceException(k, k * h, "the mini-batch energy is " + e.energy() + " " + e.parts()
              + " with solver.step = " + h);
        }
        e.velocity().forEach((name, v) -> {
          state.get(name).axpyi(h, v);
          v.release();
        });
      }

      /** @return the batch of step k: a slice of its epoch's permutation, or i.i.d. uniform rows */
      private int[] rows(long k) {
        if (replacement) {
          return new SplittableRandom(context.seed("sgd-batch", k)).ints(batch, 0, n).toArray();
        }
        if (k / perEpoch != epoch) {
          epoch = k / perEpoch;
          permutation = permutation(n, new SplittableRandom(context.seed("sgd-permutation", epoch)));
        }
        int from = (int) (k % perEpoch) * batch;
        return Arrays.copyOfRange(permutation, from, Math.min(n, from + batch));
      }
    };
  }

  /** @return a uniform permutation of 0..n−1 (Fisher–Yates) */
  static int[] permutation(int n, SplittableRandom rng) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int swap = p[i];
      p[i] = p[j];
      p[j] = swap;
    }
    return p;
  }
}
