package org.varflow.api.tensor;

import java.util.Locale;

/**
 * Activation functions σ with their derivatives σ'. The scalar methods are the reference definitions;
 * backends implement {@link Tensor#activate} and {@link Tensor#activateDerivative} to agree with them.
 */
public enum Activation {
  /** σ(z) = max(z, 0); σ'(z) = 1 for z &gt; 0, else 0. */
  RELU,
  /** σ(z) = tanh z; σ'(z) = 1 − tanh² z. */
  TANH,
  /** σ(z) = 1/(1 + e^{−z}); σ'(z) = σ(z)(1 − σ(z)). */
  SIGMOID,
  /** σ(z) = sin z; σ'(z) = cos z. */
  SIN;

  /** @return σ(z) */
  public double value(double z) {
    return switch (this) {
      case RELU -> z > 0 ? z : 0.0;
      case TANH -> Math.tanh(z);
      case SIGMOID -> 1.0 / (1.0 + Math.exp(-z));
      case SIN -> Math.sin(z);
    };
  }

  /** @return σ'(z) */
  public double derivative(double z) {
    return switch (this) {
      case RELU -> z > 0 ? 1.0 : 0.0;
      case TANH -> {
        double t = Math.tanh(z);
        yield 1.0 - t * t;
      }
      case SIGMOID -> {
        double s = 1.0 / (1.0 + Math.exp(-z));
        yield s * (1.0 - s);
      }
      case SIN -> Math.cos(z);
    };
  }

  /** @return the spec spelling ({@code relu}, {@code tanh}, {@code sigmoid}, {@code sin}) */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @param id spec spelling
   * @return the activation
   * @throws IllegalArgumentException naming the allowed spellings
   */
  public static Activation parse(String id) {
    for (Activation a : values()) {
      if (a.id().equals(id)) {
        return a;
      }
    }
    throw new IllegalArgumentException("'" + id + "' is not one of relu, tanh, sigmoid, sin");
  }
}
