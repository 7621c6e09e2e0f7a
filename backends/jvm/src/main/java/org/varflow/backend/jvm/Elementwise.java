package org.varflow.backend.jvm;

import org.varflow.api.tensor.Activation;

/**
 * The elementwise operations and activations on array ranges. The loops that are the same in both precisions live in
 * {@code Elementwise32} and {@code Elementwise64}, generated from one template
 * ({@code src/main/templates/ElementwiseLoops.java.template}); what differs between them is here: float tanh by its
 * own rational approximation, the other non-ReLU activations by the double reference. Callers split the ranges across
 * threads.
 */
final class Elementwise {
  private Elementwise() {}

  /** Binary elementwise operations. */
  enum Op {
    ADD,
    SUB,
    MUL,
    DIV
  }

  /** Unary elementwise operations. */
  enum Fn {
    SQRT,
    ABS
  }

  /**
   * out[i] = σ(x[i]) or σ'(x[i]) for i in [from, to). relu is max(z, 0) and ⌈min(max(z, 0), 1)⌉, without
   * branches (NaN stays NaN); tanh is {@link #tanh(float)}; sigmoid and sin are the reference in double,
   * rounded.
   */
  static void activate(Activation act, boolean derivative, float[] x, float[] out, int from, int to) {
    if (act == Activation.RELU) {
      if (derivative) {
        Elementwise32.reluDerivative(x, out, from, to);
      } else {
        Elementwise32.relu(x, out, from, to);
      }
    } else if (act == Activation.TANH) {
      if (derivative) {
        tanhDerivative(x, out, from, to);
      } else {
        tanh(x, out, from, to);
      }
    } else {
      for (int i = from; i < to; i++) {
        out[i] = (float) (derivative ? act.derivative(x[i]) : act.value(x[i]));
      }
    }
  }

  /** out[i] = σ(x[i]) or σ'(x[i]) for i in [from, to): relu as for float, the others by the reference. */
  static void activate(Activation act, boolean derivative, double[] x, double[] out, int from, int to) {
    if (act == Activation.RELU) {
      if (derivative) {
        Elementwise64.reluDerivative(x, out, from, to);
      } else {
        Elementwise64.relu(x, out, from, to);
      }
    } else {
      for (int i = from; i < to; i++) {
        out[i] = derivative ? act.derivative(x[i]) : act.value(x[i]);
      }
    }
  }

  /** 1[z &gt; 0] = min(max(z·2⁶⁰⁰·2⁶⁰⁰, 0), 1), as for float. */
  private static void tanh(float[] x, float[] out, int from, int to) {
    for (int i = from; i < to; i++) {
      out[i] = tanh(x[i]);
    }
  }

  /** σ'(z) = 1 − tanh² z. */
  private static void tanhDerivative(float[] x, float[] out, int from, int to) {
    for (int i = from; i < to; i++) {
      float t = tanh(x[i]);
      out[i] = 1f - t * t;
    }
  }

  /**
   * tanh z ≈ z·P(z²)/Q(z²) with z clamped to ±7.905 (where the float result reaches ±1), using the
   * minimax coefficients of Eigen's float tanh: within 4·10⁻⁷ relative (6 ulp) of {@link Math#tanh}.
   */
  static float tanh(float z) {
    float x = Math.min(Math.max(z, -7.90531110763549805f), 7.90531110763549805f);
    float x2 = x * x;
    float p = x2 * -2.76076847742355e-16f + 2.00018790482477e-13f;
    p = x2 * p + -8.60467152213735e-11f;
    p = x2 * p + 5.12229709037114e-08f;
    p = x2 * p + 1.48572235717979e-05f;
    p = x2 * p + 6.37261928875436e-04f;
    p = x2 * p + 4.89352455891786e-03f;
    float q = x2 * 1.19825839466702e-06f + 1.18534705686654e-04f;
    q = x2 * q + 2.26843463243900e-03f;
    q = x2 * q + 4.89352518554385e-03f;
    return x * (p / q);
  }

  /** @return whether x[from, to) holds no NaN or ±∞ */
}
