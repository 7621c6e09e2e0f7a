package org.varflow.backend.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.varflow.api.tensor.Tensor;

/**
 * Plain-Java float64 reference implementations (naive loops over row-major arrays) and the relative
 * error check the suite compares backends with.
 */
final class Reference {
  private Reference() {}

  /** @return alpha · op(a) · op(b), a stored ar×ac, b stored br×bc, result row-major */
  static double[] matmul(double[] a, int ar, int ac, boolean ta, double[] b, int br, int bc, boolean tb,
      double alpha) {
    int m = ta ? ac : ar;
    int k = ta ? ar : ac;
    int n = tb ? br : bc;
    double[] c = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int l = 0; l < k; l++) {
          s += (ta ? a[l * ac + i] : a[i * ac + l]) * (tb ? b[j * bc + l] : b[l * bc + j]);
        }
        c[i * n + j] = alpha * s;
      }
    }
    return c;
  }

  /** @return f applied to each element */
  static double[] map(double[] x, DoubleUnaryOperator f) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = f.applyAsDouble(x[i]);
    }
    return out;
  }

  /** @return f applied to each pair of elements */
  static double[] zip(double[] x, double[] y, DoubleBinaryOperator f) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = f.applyAsDouble(x[i], y[i]);
    }
    return out;
  }

  /** @return |x| elementwise */
  static double[] abs(double[] x) {
    return map(x, Math::abs);
  }

  /** @return out[i][j] = f(x[i][j], v[j]) for an r×c matrix x */
  static double[] rowwise(double[] x, int c, double[] v, DoubleBinaryOperator f) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = f.applyAsDouble(x[i], v[i % c]);
    }
    return out;
  }

  /** @return out[i][j] = x[i][j] · v[i] for an r×c matrix x */
  static double[] mulColumns(double[] x, int c, double[] v) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i] * v[i / c];
    }
    return out;
  }

  /** @return the column sums of an r×c matrix */
  static double[] columnSums(double[] x, int c) {
    double[] out = new double[c];
    for (int i = 0; i < x.length; i++) {
      out[i % c] += x[i];
    }
    return out;
  }

  /** @return the row sums of an r×c matrix */
  static double[] rowSums(double[] x, int c) {
    double[] out = new double[x.length / c];
    for (int i = 0; i < x.length; i++) {
      out[i / c] += x[i];
    }
    return out;
  }

  /** @return Σ x_i y_i */
  static double dot(double[] x, double[] y) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += x[i] * y[i];
    }
    return s;
  }

  /** @return Σ x_i */
  static double sum(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s;
  }

  /** @return max |x_i| (0 for none) */
  static double maxAbs(double[] x) {
    double m = 0;
    for (double v : x) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  /** @return X with a · X = b for an SPD n×n a and n×r b, by Cholesky a = L Lᵀ and two substitutions */
  static double[] choleskySolve(double[] a, int n, double[] b, int r) {
    double[] l = new double[n * n];
    for (int j = 0; j < n; j++) {
      double d = a[j * n + j];
      for (int p = 0; p < j; p++) {
        d -= l[j * n + p] * l[j * n + p];
      }
      l[j * n + j] = Math.sqrt(d);
      for (int i = j + 1; i < n; i++) {
        double s = a[i * n + j];
        for (int p = 0; p < j; p++) {
          s -= l[i * n + p] * l[j * n + p];
        }
        l[i * n + j] = s / l[j * n + j];
      }
    }
    double[] x = b.clone();
    for (int c = 0; c < r; c++) {
      for (int i = 0; i < n; i++) {
        double s = x[i * r + c];
        for (int p = 0; p < i; p++) {
          s -= l[i * n + p] * x[p * r + c];
        }
        x[i * r + c] = s / l[i * n + i];
      }
      for (int i = n - 1; i >= 0; i--) {
        double s = x[i * r + c];
        for (int p = i + 1; p < n; p++) {
          s -= l[p * n + i] * x[p * r + c];
        }
        x[i * r + c] = s / l[i * n + i];
      }
    }
    return x;
  }

  /**
   * Asserts max_i |actual_i − expected_i| ≤ tol · scale.
   *
   * @param scale the magnitude errors are relative to (a norm of the result or of its terms)
   */
  static void assertClose(String what, double[] expected, double[] actual, double scale, double tol) {
    if (expected.length != actual.length) {
      fail(what + ": " + actual.length + " elements, expected " + expected.length);
    }
    double worst = 0;
    int at = -1;
    for (int i = 0; i < expected.length; i++) {
      double e = Math.abs(actual[i] - expected[i]);
      if (Double.isNaN(e)) {
        fail(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]);
      }
      if (e > worst) {
        worst = e;
        at = i;
      }
    }
    double rel = worst / Math.max(scale, Double.MIN_NORMAL);
    if (!(rel <= tol)) {
      fail(String.format("%s: relative error %.3g > %.1g at element %d (expected %.17g, got %.17g)", what, rel,
          tol, at, expected[at], actual[at]));
    }
  }

  /** Asserts closeness relative to the largest expected element. */
  static void assertClose(String what, double[] expected, double[] actual, double tol) {
    assertClose(what, expected, actual, maxAbs(expected), tol);
  }

  /** Asserts closeness of the tensor's elements relative to the largest expected element. */
  static void assertClose(String what, double[] expected, Tensor actual, double tol) {
    assertClose(what, expected, actual.toDoubleArray(), tol);
  }

  /**
   * Asserts |actual_i − expected_i| ≤ tol · |expected_i| for every element, each relative to itself (so exact where
   * it is 0 or ±∞), and NaN exactly where {@code expected} is NaN: the check of correctly rounded elementwise ops.
   */
  static void assertRelative(String what, double[] expected, Tensor actual, double tol) {
    double[] got = actual.toDoubleArray();
    if (expected.length != got.length) {
      fail(what + ": " + got.length + " elements, expected " + expected.length);
    }
    for (int i = 0; i < expected.length; i++) {
      boolean nan = Double.isNaN(expected[i]);
      if (nan != Double.isNaN(got[i])
          || !nan && !(got[i] == expected[i] || Math.abs(got[i] - expected[i]) <= tol * Math.abs(expected[i]))) {
        fail(String.format("%s: element %d is %.17g, expected %.17g (relative tolerance %.1g)", what, i, got[i],
            expected[i], tol));
      }
    }
  }

  /** Asserts that {@code t} has this shape and holds exactly these elements. */
  static void assertExactly(String what, double[] expected, int[] shape, Tensor t) {
    assertArrayEquals(shape, t.shape(), what + ": shape");
    assertArrayEquals(expected, t.toDoubleArray(), what + ": elements");
  }
}
