package org.varflow.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dpotrf;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dpotrs;
import static org.bytedeco.openblas.global.openblas.LAPACK_COL_MAJOR;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasColMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemv;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.DoublePointer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The column-major calls the cuda backend makes for its row-major tensors, made here with the same arguments on a
 * column-major CPU BLAS and LAPACK (OpenBLAS), against plain-Java row-major results: products in the four transpose
 * combinations, row and column sums, the transpose and the Cholesky solve. What this cannot check without a GPU is
 * that cuBLAS and cuSOLVER follow the same column-major conventions, which their documentation states.
 */
class ColumnMajorTest {
  private static final double TOL = 1e-12;

  @ParameterizedTest
  @CsvSource({"false, false", "true, false", "false, true", "true, true"})
  void productMapsToOneColumnMajorGemm(boolean ta, boolean tb) {
    int m = 7;
    int n = 5;
    int k = 11;
    double[] a = random(1, m * k);  // op(a) is m×k: a is m×k, or k×m when transposed
    double[] b = random(2, k * n);  // op(b) is k×n
    int colsA = ta ? m : k;
    int colsB = tb ? k : n;
    ColumnMajor.Gemm g = ColumnMajor.product(m, n, k, ta, colsA, tb, colsB);
    double[] c = new double[m * n];
    try (DoublePointer pb = new DoublePointer(b); DoublePointer pa = new DoublePointer(a);
        DoublePointer pc = new DoublePointer(c)) {
      cblas_dgemm(CblasColMajor, g.transA() ? CblasTrans : CblasNoTrans, g.transB() ? CblasTrans : CblasNoTrans,
          g.m(), g.n(), g.k(), 0.5, pb, g.lda(), pa, g.ldb(), 0.0, pc, g.ldc());
      pc.get(c);
    }
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double expected = 0;
        for (int l = 0; l < k; l++) {
          expected += (ta ? a[l * colsA + i] : a[i * colsA + l]) * (tb ? b[j * colsB + l] : b[l * colsB + j]);
        }
        assertThat(c[i * n + j]).as("C[%d][%d]", i, j).isCloseTo(0.5 * expected, offset(TOL));
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"6, 4", "1, 9", "9, 1"})
  void rowAndColumnSumsMapToOneGemv(int rows, int cols) {
    double[] a = random(3, rows * cols);
    double[] columns = gemv(ColumnMajor.columnSums(rows, cols), a);
    double[] rowsOut = gemv(ColumnMajor.rowSums(rows, cols), a);
    for (int j = 0; j < cols; j++) {
      double s = 0;
      for (int i = 0; i < rows; i++) {
        s += a[i * cols + j];
      }
      assertThat(columns[j]).isCloseTo(s, offset(TOL));
    }
    for (int i = 0; i < rows; i++) {
      double s = 0;
      for (int j = 0; j < cols; j++) {
        s += a[i * cols + j];
      }
      assertThat(rowsOut[i]).isCloseTo(s, offset(TOL));
    }
  }

  @ParameterizedTest
  @CsvSource({"3, 5", "1, 4", "4, 1"})
  void transposeIsOneGeam(int rows, int cols) {
    double[] a = random(4, rows * cols);
    double[] t = geam(ColumnMajor.transpose(rows, cols), a);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        assertThat(t[j * rows + i]).isEqualTo(a[i * cols + j]);
      }
    }
  }

  /**
   * potrf and potrs on the column-major reading of a row-major SPD matrix, with several right-hand sides transposed
   * in and out as the backend does: the solution of A X = B, reading only the row-major lower triangle (the upper
   * one holds garbage).
   */
  @ParameterizedTest
  @CsvSource({"9, 3", "9, 1"})
  void choleskySolveReadsTheRowMajorLowerTriangle(int n, int r) {
    double[] g = random(5, n * n);
    double[] spd = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = i == j ? n : 0;
        for (int l = 0; l < n; l++) {
          s += g[i * n + l] * g[j * n + l];
        }
        spd[i * n + j] = s;
      }
    }
    double[] x = random(6, n * r);
    double[] b = new double[n * r];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < r; c++) {
        for (int l = 0; l < n; l++) {
          b[i * r + c] += spd[i * n + l] * x[l * r + c];
        }
      }
    }
    double[] factor = spd.clone();
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        factor[i * n + j] = Double.NaN; // the row-major upper triangle must not be read
      }
    }
    double[] rhs = r == 1 ? b.clone() : geam(ColumnMajor.transpose(n, r), b);
    byte uplo = (byte) (ColumnMajor.CHOLESKY_UPPER ? 'U' : 'L');
    try (DoublePointer pa = new DoublePointer(factor); DoublePointer pb = new DoublePointer(rhs)) {
      assertThat(LAPACKE_dpotrf(LAPACK_COL_MAJOR, uplo, n, pa, n)).isZero();
      assertThat(LAPACKE_dpotrs(LAPACK_COL_MAJOR, uplo, n, r, pa, n, pb, n)).isZero();
      pb.get(rhs);
    }
    double[] solution = r == 1 ? rhs : geam(ColumnMajor.transpose(r, n), rhs);
    for (int i = 0; i < n * r; i++) {
      assertThat(solution[i]).isCloseTo(x[i], offset(1e-10));
    }
  }

  private static double[] gemv(ColumnMajor.Gemv g, double[] a) {
    double[] ones = new double[g.xLength()];
    Arrays.fill(ones, 1.0);
    double[] y = new double[g.yLength()];
    try (DoublePointer pa = new DoublePointer(a); DoublePointer px = new DoublePointer(ones);
        DoublePointer py = new DoublePointer(y)) {
      cblas_dgemv(CblasColMajor, g.trans() ? CblasTrans : CblasNoTrans, g.m(), g.n(), 1.0, pa, g.lda(), px, 1, 0.0,
          py, 1);
      py.get(y);
    }
    return y;
  }

  /** cuBLAS geam with β = 0 as documented: C[i + j·ldc] = op(A)[i][j], A column-major with lda, C m×n. */
  private static double[] geam(ColumnMajor.Geam g, double[] a) {
    double[] c = new double[g.m() * g.n()];
    for (int i = 0; i < g.m(); i++) {
      for (int j = 0; j < g.n(); j++) {
        c[i + j * g.ldc()] = g.transA() ? a[j + i * g.lda()] : a[i + j * g.lda()];
      }
    }
    return c;
  }

  private static double[] random(long seed, int length) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] out = new double[length];
    for (int i = 0; i < length; i++) {
      out[i] = rng.nextDouble(-1, 1);
    }
    return out;
  }
}
