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
  private static final int PANEL_GRAIN = 256;

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
    Parallel.forRange(r, rhsGrain, (c0, c1) -> {
      forward(a, 0, k, k, b, r, c0, c1);
      backward(a, k, b, r, c0, c1);
    });
  }

  /**
   * For each block of columns [j0, j1): factor the diagonal block row by row, solve the panel below it
   * (L21 = A21·L11⁻ᵀ), then A22 ← A22 − L21·L21ᵀ on the lower triangle, in strips of rows.
   */
  private static void factor(double[] a, int k) {
    for (int j0 = 0; j0 < k; j0 += NB) {
      int j1 = Math.min(k, j0 + NB);
      for (int i = j0; i < j1; i++) {
        for (int c = j0; c < i; c++) {
          a[i * k + c] = (a[i * k + c] - dot(a, i * k + j0, c * k + j0, c - j0)) / a[c * k + c];
        }
        double pivot = a[i * k + i] - dot(a, i * k + j0, i * k + j0, i - j0);
        if (!(pivot > 0)) {
          throw new ArithmeticException(
              "choleskySolve: the matrix is not positive definite (pivot " + i + " is " + pivot + ")");
        }
        a[i * k + i] = Math.sqrt(pivot);
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

  /**
   * Rows j1.. of columns [j0, j1) of L: L21ᵀ = L11⁻¹·A21ᵀ by forward substitution on the transposed panel,
   * whose rows are contiguous, for ranges of panel rows in parallel.
   */
  private static void solvePanel(double[] a, int k, int j0, int j1) {
    int n = k - j1;
    int w = j1 - j0;
    double[] t = new double[w * n];
    Parallel.forRange(n, PANEL_GRAIN, (i0, i1) -> {
      for (int i = i0; i < i1; i++) {
        for (int c = 0; c < w; c++) {
          t[c * n + i] = a[(j1 + i) * k + j0 + c];
        }
      }
      forward(a, j0 * k + j0, k, w, t, n, i0, i1);
      for (int i = i0; i < i1; i++) {
        for (int c = 0; c < w; c++) {
          a[(j1 + i) * k + j0 + c] = t[c * n + i];
        }
      }
    });
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
   * Columns [c0, c1) of the n×r matrix b ← L⁻¹·b for the lower triangular L[i][j] = l[l0 + i·ld + j]:
   * y_i = (b_i − Σ_{j&lt;i} L_ij·y_j) / L_ii, each step an axpy along a row of b.
   */
  private static void forward(double[] l, int l0, int ld, int n, double[] b, int r, int c0, int c1) {
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        axpy(-l[l0 + i * ld + j], b, j * r, i * r, c0, c1);
      }
      divide(b, i * r, l[l0 + i * ld + i], c0, c1);
    }
  }

  /**
   * Columns [c0, c1) of the k×r matrix b ← L⁻ᵀ·b for L[i][j] = l[i·k + j]: x_i = y_i / L_ii, then
   * y_j −= L_ij·x_i for j &lt; i, so that L is read along rows.
   */
  private static void backward(double[] l, int k, double[] b, int r, int c0, int c1) {
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
