package org.varflow.api.flow;

import java.util.function.BiFunction;
import org.varflow.api.problem.Dataset;

/**
 * Evaluation on a subset of the training samples, for flows whose risk is an average over them,
 * R = (1/2n) Σ_i (f(x_i) − y_i)²: the risk of a batch B is R_B = (1/2|B|) Σ_{i∈B} (f(x_i) − y_i)², an unbiased
 * estimate of R when B is drawn uniformly, and so is its velocity. Stochastic gradient solvers step with it.
 */
public interface MiniBatches {

  /** @return n, the number of training samples that rows index */
  int samples();

  /**
   * @param rows the samples of the batch B, each in [0, n), repeats allowed (sampling with replacement)
   * @param withVelocity whether to compute the velocity too
   * @return as {@link DiscreteFlow#evaluate(boolean)} with R_B in place of R (the regularizers whole); with every
   *     row once, in any order, equal to the full evaluation to round-off
   */
  Evaluation evaluate(int[] rows, boolean withVelocity);

  /**
   * @param train the training samples
   * @param evaluation the flow's evaluation on the samples of a batch, with or without the velocity
   * @return the batches of {@code train}: each gathers its rows on the host ({@link Dataset#select}) and evaluates them
   */
  static MiniBatches of(Dataset train, BiFunction<Dataset, Boolean, Evaluation> evaluation) {
    return new MiniBatches() {
      @Override
      public int samples() {
        return train.n();
      }

      @Override
      public Evaluation evaluate(int[] rows, boolean withVelocity) {
        return evaluation.apply(train.select(rows), withVelocity);
      }
    };
  }
}
