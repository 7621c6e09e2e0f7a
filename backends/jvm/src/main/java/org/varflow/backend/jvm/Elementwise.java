package org.varflow.backend.jvm;

import org.varflow.api.tensor.Activation;

/**
 * Loops over array ranges, one float and one double variant each; float arithmetic stays in float, sums
 * accumulate in double. Callers split the ranges across threads.
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

  /** out[o + i] = x[xo + i] op y[yo + i] for i &lt; n. */
  static void zip(Op op, float[] x, int xo, float[] y, int yo, float[] out, int o, int n) {
    switch (op) {
      case ADD -> {
        for (int i = 0; i < n; i++) {
          out[o + i] = x[xo + i] + y[yo + i];
        }
      }
      case SUB -> {
        for (int i = 0; i < n; i++) {
          out[o + i] = x[xo + i] - y[yo + i];
        }
      }
      case MUL -> {
        for (int i = 0; i < n; i++) {
          out[o + i] = x[xo + i] * y[yo + i];
        }
      }
      case DIV -> {
        for (int i = 0; i < n; i++) {
          out[o + i] = x[xo + i] / y[yo + i];
        }
      }
    }
  }

  /** out[o + i] = x[xo + i] op y[yo + i] for i &lt; n. */
  static void zip(Op op, double[] x, int xo, double[] y, int yo, double[] out, int o, int n) {
    switch (op) {
      case ADD -> {
        for (int i = 0; i < n; i++) {
          out[o + i] = x[xo + i] + y[yo + i];
        }
      }
      case SUB -> {
        for (int i = 0; i < n; i++) {
          out[o + i] = x[xo + i] - y[yo + i];
        }
      }
      case MUL -> {
        for (int i = 0; i < n; i++) {
          out[o + i] = x[xo + i] * y[yo + i];
        }
      }
      case DIV -> {
        for (int i = 0; i < n; i++) {
          out[o + i] = x[xo + i] / y[yo + i];
        }
      }
    }
  }

  /**
   * out[i] = fn(x[i]) for i in [from, to): √x, taken in double and rounded (which is the correctly rounded float
   * root), and |x|.
   */
  static void map(Fn fn, float[] x, float[] out, int from, int to) {
    switch (fn) {
      case SQRT -> {
        for (int i = from; i < to; i++) {
          out[i] = (float) Math.sqrt(x[i]);
        }
      }
      case ABS -> {
        for (int i = from; i < to; i++) {
          out[i] = Math.abs(x[i]);
        }
      }
    }
  }

  /** out[i] = fn(x[i]) for i in [from, to): √x, |x|. */
  static void map(Fn fn, double[] x, double[] out, int from, int to) {
    switch (fn) {
      case SQRT -> {
        for (int i = from; i < to; i++) {
          out[i] = Math.sqrt(x[i]);
        }
      }
      case ABS -> {
        for (int i = from; i < to; i++) {
          out[i] = Math.abs(x[i]);
        }
      }
    }
  }

  /** y[i] += a·x[i] for i in [from, to). */
  static void axpy(float a, float[] x, float[] y, int from, int to) {
    for (int i = from; i < to; i++) {
      y[i] += a * x[i];
    }
  }

  /** y[i] += a·x[i] for i in [from, to). */
  static void axpy(double a, double[] x, double[] y, int from, int to) {
    for (int i = from; i < to; i++) {
      y[i] += a * x[i];
    }
  }

  /** out[o + i] = s·x[xo + i] for i &lt; n. */
  static void scale(float s, float[] x, int xo, float[] out, int o, int n) {
    for (int i = 0; i < n; i++) {
      out[o + i] = s * x[xo + i];
    }
  }

  /** out[o + i] = s·x[xo + i] for i &lt; n. */
  static void scale(double s, double[] x, int xo, double[] out, int o, int n) {
    for (int i = 0; i < n; i++) {
      out[o + i] = s * x[xo + i];
    }
  }

  /**
   * out[i] = σ(x[i]) or σ'(x[i]) for i in [from, to). relu is max(z, 0) and ⌈min(max(z, 0), 1)⌉, without
   * branches (NaN stays NaN); tanh is {@link #tanh(float)}; sigmoid and sin are the reference in double,
   * rounded.
   */
  static void activate(Activation act, boolean derivative, float[] x, float[] out, int from, int to) {
    if (act == Activation.RELU) {
      if (derivative) {
        reluDerivative(x, out, from, to);
      } else {
        relu(x, out, from, to);
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
        reluDerivative(x, out, from, to);
      } else {
        relu(x, out, from, to);
      }
    } else {
      for (int i = from; i < to; i++) {
        out[i] = derivative ? act.derivative(x[i]) : act.value(x[i]);
      }
    }
  }

  private static void relu(float[] x, float[] out, int from, int to) {
    for (int i = from; i < to; i++) {
      out[i] = Math.max(x[i], 0f);
    }
  }

  /**
   * 1[z &gt; 0] = min(max(z·2¹⁰⁰·2¹⁰⁰, 0), 1): the product lifts every positive float, subnormals included,
   * to at least 1 (or +∞); no branch to mispredict on data of random sign, and the loop vectorizes.
   */
  private static void reluDerivative(float[] x, float[] out, int from, int to) {
    for (int i = from; i < to; i++) {
      out[i] = Math.min(Math.max(x[i] * 0x1p100f * 0x1p100f, 0f), 1f);
    }
  }

  private static void relu(double[] x, double[] out, int from, int to) {
    for (int i = from; i < to; i++) {
      out[i] = Math.max(x[i], 0.0);
    }
  }

  /** 1[z &gt; 0] = min(max(z·2⁶⁰⁰·2⁶⁰⁰, 0), 1), as for float. */
  private static void reluDerivative(double[] x, double[] out, int from, int to) {
    for (int i = from; i < to; i++) {
      out[i] = Math.min(Math.max(x[i] * 0x1p600 * 0x1p600, 0.0), 1.0);
    }
  }

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

  /** @return Σ x[i] for i in [from, to), accumulated in double */
  static double sum(float[] x, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += x[i];
    }
    return s;
  }

  /** @return Σ x[i] for i in [from, to) */
  static double sum(double[] x, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += x[i];
    }
    return s;
  }

  /** @return Σ x[i]·y[i] for i in [from, to), accumulated in double */
  static double dot(float[] x, float[] y, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += (double) x[i] * y[i];
    }
    return s;
  }

  /** @return Σ x[i]·y[i] for i in [from, to) */
  static double dot(double[] x, double[] y, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += x[i] * y[i];
    }
    return s;
  }

  /** acc[j] += x[xo + j] for j &lt; acc.length. */
  static void accumulate(float[] x, int xo, double[] acc) {
    for (int j = 0; j < acc.length; j++) {
      acc[j] += x[xo + j];
    }
  }

  /** acc[j] += x[xo + j] for j &lt; acc.length. */
  static void accumulate(double[] x, int xo, double[] acc) {
    for (int j = 0; j < acc.length; j++) {
      acc[j] += x[xo + j];
    }
  }

  /** @return whether x[from, to) holds no NaN or ±∞ */
  static boolean allFinite(float[] x, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Float.isFinite(x[i])) {
        return false;
      }
    }
    return true;
  }

  /** @return whether x[from, to) holds no NaN or ±∞ */
  static boolean allFinite(double[] x, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Double.isFinite(x[i])) {
        return false;
      }
    }
    return true;
  }
}
