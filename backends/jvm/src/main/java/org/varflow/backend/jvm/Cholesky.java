package org.varflow.backend.jvm;

/**
 * Solves A·X = B for symmetric positive definite A by a blocked, right-looking Cholesky factorisation
 * A = L·Lᵀ in double, then the triangular solves L·Y = B and Lᵀ·X = Y.
 */
final class Cholesky {
  /** Columns of L per block step. */
  private static final int NB = 96;
  /** Rows of the trailing matrix per {@link Gemm} update (only the lower triangle is updated). */
  private static final int STRIP = 512;
  /** Panel rows per parallel chunk. */
  private static final int ROW_GRAIN = 16;

  private Cholesky() {}

  /**
   * Overwrites b (k×r, row-major) with A⁻¹·b, reading only the lower triangle of a (k×k, row-major),
   * which is overwritten with L.
   *
   * @param rhsGrain right-hand sides per parallel chunk of the triangular solves
   * @throws ArithmeticException naming the pivot that is not positive
   */
  static void solve(double[] a, int k, double[] b, int r, int rhsGrain) {
    factor(a, k);
    Parallel.forRange(r, rhsGrain, (c0, c1) -> substitute(a, k, b, r, c0, c1));
  }

  /**
   * For each block of columns [j0, j1): factor the diagonal block, solve the panel below it
   * (L21 = A21·L11⁻ᵀ), then A22 ← A22 − L21·L21ᵀ on the lower triangle, in strips of rows.
   */
  private static void factor(double[] a, int k) {
    for (int j0 = 0; j0 < k; j0 += NB) {
      int j1 = Math.min(k, j0 + NB);
      for (int i = j0; i < j1; i++) {
        solveRow(a, k, i, j0, i);
        int ii = i * k + i;
        double pivot = a[ii] - dot(a, i * k + j0, i * k + j0, i - j0);
        if (!(pivot > 0)) {
          throw new ArithmeticException(
              "choleskySolve: the matrix is not positive definite (pivot " + i + " is " + pivot + ")");
        }
        a[ii] = Math.sqrt(pivot);
      }
      if (j1 == k) {
        break;
      }
      solvePanel(a, k, j0, j1);
      for (int s0 = j1; s0 < k; s0 += STRIP) {
        int s1 = Math.min(k, s0 + STRIP);
        Gemm.F64.multiply(new Gemm.Operand<>(a, s0 * k + j0, k, false), new Gemm.Operand<>(a, j1 * k + j0, k, true), a,
            s0 * k + j1, k, s1 - s0, s1 - j1, j1 - j0, -1.0);
      }
    }
  }

  /** Rows i ≥ j1 of columns [j0, j1) of L, row chunks in parallel. */
  private static void solvePanel(double[] a, int k, int j0, int j1) {
    Parallel.forRange(k - j1, ROW_GRAIN, (r0, r1) -> {
      for (int i = j1 + r0; i < j1 + r1; i++) {
        solveRow(a, k, i, j0, j1);
      }
    });
  }

  /** L[i][c] = (A[i][c] − Σ_{j0 ≤ l &lt; c} L[i][l]·L[c][l]) / L[c][c] for c in [j0, c1). */
  private static void solveRow(double[] a, int k, int i, int j0, int c1) {
    for (int c = j0; c < c1; c++) {
      a[i * k + c] = (a[i * k + c] - dot(a, i * k + j0, c * k + j0, c - j0)) / a[c * k + c];
    }
  }

  /** @return Σ_{l &lt; n} a[x + l]·a[y + l] */
  private static double dot(double[] a, int x, int y, int n) {
    double s = 0;
    for (int l = 0; l < n; l++) {
      s += a[x + l] * a[y + l];
    }
    return s;
  }

  /**
   * Columns [c0, c1) of b ← L⁻ᵀ·L⁻¹·b: forward y_i = (b_i − Σ_{j&lt;i} L_ij·y_j)/L_ii, then backward
   * x_i = y_i/L_ii followed by y_j −= L_ij·x_i for j &lt; i, so that L is always read along rows.
   */
  private static void substitute(double[] l, int k, double[] b, int r, int c0, int c1) {
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < i; j++) {
        axpy(-l[i * k + j], b, j * r, i * r, c0, c1);
      }
      divide(b, i * r, l[i * k + i], c0, c1);
    }
    for (int i = k - 1; i >= 0; i--) {
      divide(b, i * r, l[i * k + i], c0, c1);
      for (int j = 0; j < i; j++) {
        axpy(-l[i * k + j], b, i * r, j * r, c0, c1);
      }
    }
  }

  /** b[to + c] += s·b[from + c] for c in [c0, c1). */
  private static void axpy(double s, double[] b, int from, int to, int c0, int c1) {
    for (int c = c0; c < c1; c++) {
      b[to + c] += s * b[from + c];
    }
  }

  /** b[row + c] /= s for c in [c0, c1). */
  private static void divide(double[] b, int row, double s, int c0, int c1) {
    for (int c = c0; c < c1; c++) {
      b[row + c] /= s;
    }
  }
}
