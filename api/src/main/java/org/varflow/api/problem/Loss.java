package org.varflow.api.problem;

import org.varflow.api.tensor.Tensor;

/** The loss ℓ in the risk R = (1/n) Σ ℓ(f(x_i), y_i). */
public enum Loss {
  /** ℓ(f, y) = (f − y)²/2, so R = (1/2n) Σ (f(x_i) − y_i)². */
  SQUARED;

  /** @return R = (1/2n) Σ r_i² for the residual r = f − y (n rows) */
  public double risk(Tensor residual) {
    return residual.squaredNorm() / (2.0 * residual.rows());
  }
}
