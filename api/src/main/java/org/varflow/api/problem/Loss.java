package org.varflow.api.problem;

/** The loss ℓ in the risk R = (1/n) Σ ℓ(f(x_i), y_i). */
public enum Loss {
  /** ℓ(f, y) = (f − y)²/2, so R = (1/2n) Σ (f(x_i) − y_i)². */
  SQUARED
}
