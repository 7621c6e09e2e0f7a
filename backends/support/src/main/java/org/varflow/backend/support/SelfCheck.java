package org.varflow.backend.support;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/**
 * Known answers a backend reproduces before it is used: the matrix product in all four transpose
 * combinations and as a Gram matrix, the Cholesky solve of well-conditioned SPD systems, dot products and
 * sums, in float32 and float64, each against the same computation done here in plain Java (double
 * accumulation). A backend calls {@link #verify} once, when it first checks its availability, and
 * reports itself unavailable with the returned reason: a BLAS kernel that miscomputes on the CPU at hand
 * then costs a warning and a fallback, never wrong numbers.
 *
 * <p>The sizes cross the block boundaries of optimised kernels (the failures seen in practice appear
 * from n = 17 on, not at n = 5), and the whole check takes a few milliseconds on a native backend.
 */
public final class SelfCheck {
  /** Relative error allowed per precision: a few hundred units of rounding, far below a wrong kernel's O(1). */
  private static final double TOLERANCE_FLOAT32 = 1e-4;
  private static final double TOLERANCE_FLOAT64 = 1e-10;
  /** (m, n, k) of the products: one tiny, one across typical register and cache blocks. */
  private static final int[][] GEMM_SIZES = {{5, 3, 4}, {67, 45, 131}};
  /** Orders of the Cholesky solves. */
  private static final int[] CHOLESKY_SIZES = {17, 37, 100};
  /** Length of the dot products and sums. */
  private static final int DOT_LENGTH = 1031;

  private SelfCheck() {}

  /**
   * Runs every check in both precisions and stops at the first wrong answer.
   *
   * @param tensors the backend's factory
   * @return empty when every answer is right, else what was wrong, e.g.
   *     {@code float64 Cholesky solve (n = 37): relative error 0.944 > 1e-10}
   */
  public static Optional<String> verify(TensorFactory tensors) {
    for (Precision precision : Precision.values()) {
      try {
        Optional<String> failure = gemm(tensors, precision)
            .or(() -> cholesky(tensors, precision))
            .or(() -> reductions(tensors, precision));
        if (failure.isPresent()) {
          return Optional.of(precision.id() + " " + failure.get());
        }
      } catch (RuntimeException e) {
        return Optional.of(precision.id() + " self-check threw " + e);
      }
    }
    return Optional.empty();
  }

  /** C = op(A)·op(B) for the four transpose pairs, and the Gram matrices AᵀA and AAᵀ. */
  private static Optional<String> gemm(TensorFactory tensors, Precision precision) {
    for (int[] size : GEMM_SIZES) {
      int m = size[0];
      int n = size[1];
      int k = size[2];
      for (int pair = 0; pair < 4; pair++) {
        boolean ta = (pair & 1) != 0;
        boolean tb = (pair & 2) != 0;
        double[] a = values(precision, 10L * pair + m, m * k);
        double[] b = values(precision, 10L * pair + n, k * n);
        double[] expected = product(a, ta, b, tb, m, n, k, 0.5);
        Tensor ta0 = ta ? tensors.of(precision, a, k, m) : tensors.of(precision, a, m, k);
        Tensor tb0 = tb ? tensors.of(precision, b, n, k) : tensors.of(precision, b, k, n);
        Tensor c = ta0.matmul(tb0, ta, tb, 0.5);
        double error = relativeError(c.toDoubleArray(), expected);
        String what = "gemm " + (ta ? "Aᵀ" : "A") + "·" + (tb ? "Bᵀ" : "B") + " (" + m + "×" + k + " · " + k + "×" + n + ")";
        Optional<String> wrongShape = shape(what, c, m, n);
        Tensor.releaseAll(ta0, tb0, c);
        Optional<String> failure = wrongShape.or(() -> compare(what, error, precision));
        if (failure.isPresent()) {
          return failure;
        }
      }
      // Gram matrices, which a backend may compute by a symmetric rank-k update
      double[] a = values(precision, 99L + m, k * m);
      Tensor ta0 = tensors.of(precision, a, k, m);
      for (boolean first : new boolean[] {true, false}) {
        // first: AᵀA of the k×m matrix A (m×m); else A Aᵀ (k×k)
        int rows = first ? m : k;
        double[] expected = first ? product(a, true, a, false, m, m, k, 1.0) : product(a, false, a, true, k, k, m, 1.0);
        Tensor g = ta0.matmul(ta0, first, !first, 1.0);
        double error = relativeError(g.toDoubleArray(), expected);
        String what = (first ? "Gram AᵀA" : "Gram AAᵀ") + " (" + rows + "×" + rows + ")";
        Optional<String> wrongShape = shape(what, g, rows, rows);
        g.release();
        Optional<String> failure = wrongShape.or(() -> compare(what, error, precision));
        if (failure.isPresent()) {
          ta0.release();
          return failure;
        }
      }
      ta0.release();
    }
    return Optional.empty();
  }

  /** A x = b for A = B Bᵀ/n + I (eigenvalues in [1, 5) with high probability) and a known x, two columns. */
  private static Optional<String> cholesky(TensorFactory tensors, Precision precision) {
    for (int n : CHOLESKY_SIZES) {
      double[] b = values(Precision.FLOAT64, 1000L + n, n * n);
      double[] a = product(b, false, b, true, n, n, n, 1.0 / n);
      for (int i = 0; i < n; i++) {
        a[i * n + i] += 1;
      }
      a = rounded(precision, a);
      double[] x = values(precision, 2000L + n, n * 2);
      double[] rhs = product(a, false, x, false, n, 2, n, 1.0);
      Tensor ta = tensors.of(precision, a, n, n);
      Tensor tr = tensors.of(precision, rhs, n, 2);
      String what = "Cholesky solve (n = " + n + ")";
      try {
        Tensor solution = ta.choleskySolve(tr);
        double error = relativeError(solution.toDoubleArray(), x);
        Optional<String> wrongShape = shape(what, solution, n, 2);
        solution.release();
        Optional<String> failure = wrongShape.or(() -> compare(what, error, precision));
        if (failure.isPresent()) {
          return failure;
        }
      } catch (ArithmeticException e) {
        return Optional.of(what + " called a positive definite matrix indefinite: " + e.getMessage());
      } finally {
        Tensor.releaseAll(ta, tr);
      }
    }
    return Optional.empty();
  }

  /**
   * Σ x_i y_i, Σ x_i and Σ x_i², against double sums of the same (rounded) values. The values have mean 1, so that
   * the sums do not cancel: the error is measured against Σ|x_i y_i| and Σ|x_i|, and on values of mean 0 a sum off
   * by 1e-8 of itself passed in float64.
   */
  private static Optional<String> reductions(TensorFactory tensors, Precision precision) {
    double[] x = values(Precision.FLOAT64, 3, DOT_LENGTH);
    double[] y = values(Precision.FLOAT64, 4, DOT_LENGTH);
    for (int i = 0; i < DOT_LENGTH; i++) {
      x[i] += 1;
      y[i] += 1;
    }
    x = rounded(precision, x);
    y = rounded(precision, y);
    double[] dot = new double[2]; // Σ x_i y_i, Σ |x_i y_i|
    double[] sum = new double[3]; // Σ x_i, Σ |x_i|, Σ x_i²
    for (int i = 0; i < x.length; i++) {
      dot[0] += x[i] * y[i];
      dot[1] += Math.abs(x[i] * y[i]);
      sum[0] += x[i];
      sum[1] += Math.abs(x[i]);
      sum[2] += x[i] * x[i];
    }
    Tensor tx = tensors.of(precision, x, DOT_LENGTH);
    Tensor ty = tensors.of(precision, y, DOT_LENGTH);
    try {
      return compare("dot product (length " + DOT_LENGTH + ")", Math.abs(tx.dot(ty) - dot[0]) / dot[1], precision)
          .or(() -> compare("sum (length " + DOT_LENGTH + ")", Math.abs(tx.sum() - sum[0]) / sum[1], precision))
          .or(() -> compare("squared norm (length " + DOT_LENGTH + ")", Math.abs(tx.squaredNorm() - sum[2]) / sum[2],
              precision));
    } finally {
      Tensor.releaseAll(tx, ty);
    }
  }

  /** @return the failure text when {@code t}'s shape is not {@code shape} (its elements may still be right) */
  private static Optional<String> shape(String what, Tensor t, int... shape) {
    return Arrays.equals(t.shape(), shape) ? Optional.empty()
        : Optional.of(what + ": shape " + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(shape));
  }

  /** @return the failure text when {@code error} exceeds the precision's tolerance (or is NaN) */
  private static Optional<String> compare(String what, double error, Precision precision) {
    double tolerance = precision == Precision.FLOAT32 ? TOLERANCE_FLOAT32 : TOLERANCE_FLOAT64;
    return error <= tolerance ? Optional.empty()
        : Optional.of(String.format(Locale.ROOT, "%s: relative error %.3g > %.0e", what, error, tolerance));
  }

  /** @return standard normal values from the seed, rounded to {@code precision} */
  private static double[] values(Precision precision, long seed, int count) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] v = new double[count];
    for (int i = 0; i < count; i++) {
      v[i] = rng.nextGaussian();
    }
    return rounded(precision, v);
  }

  private static double[] rounded(Precision precision, double[] v) {
    if (precision == Precision.FLOAT32) {
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) v[i];
      }
    }
    return v;
  }

  /**
   * @return alpha · op(a) · op(b), row-major m×n, in double; a is stored m×k (k×m when transposed), b k×n
   *     (n×k when transposed)
   */
  private static double[] product(double[] a, boolean ta, double[] b, boolean tb, int m, int n, int k, double alpha) {
    double[] c = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int l = 0; l < k; l++) {
          s += (ta ? a[l * m + i] : a[i * k + l]) * (tb ? b[j * k + l] : b[l * n + j]);
        }
        c[i * n + j] = alpha * s;
      }
    }
    return c;
  }

  /** @return ‖actual − expected‖₂ / ‖expected‖₂, NaN-propagating, ∞ on a length mismatch */
  private static double relativeError(double[] actual, double[] expected) {
    if (actual.length != expected.length) {
      return Double.POSITIVE_INFINITY;
    }
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < actual.length; i++) {
      diff += (actual[i] - expected[i]) * (actual[i] - expected[i]);
      norm += expected[i] * expected[i];
    }
    return Math.sqrt(diff / norm);
  }
}
