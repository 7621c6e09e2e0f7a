package org.varflow.backend.nd4j.cpu;

import static org.bytedeco.openblas.global.openblas.LAPACKE_dpotrf;
import static org.bytedeco.openblas.global.openblas.LAPACKE_spotrf;
import static org.bytedeco.openblas.global.openblas.LAPACK_COL_MAJOR;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasLeft;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasLower;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasNonUnit;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_daxpy;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dcopy;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_ddot;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemv;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dsdot;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dsyrk;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dtrsm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_saxpy;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_scopy;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemv;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_ssyrk;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_strsm;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.varflow.api.tensor.Activation;
import org.varflow.backend.jvm.HostKernels;
import org.varflow.backend.nd4j.Nd4jKernels;

/**
 * BLAS and LAPACK routines called directly on the OpenBLAS that ND4J links (through the same JavaCPP
 * bindings ND4J uses: {@code openblas_nolapack} for BLAS, {@code openblas} for LAPACK, which is loaded on
 * the first solve). ND4J's own wrappers around them cost ~20 µs per call in argument checks and shape
 * bookkeeping ({@code Nd4j.gemm}, reductions), lack a dot product accumulated in double for float data,
 * and clear the unused Cholesky triangle element by element; these calls cost well under a microsecond.
 *
 * <p>Every array passed here must be dense, C-ordered and start at its buffer's address, as
 * the {@link Nd4jKernels} contract guarantees. Rank-1 arrays of length k are k×1 matrices.
 */
final class OpenBlas implements Nd4jKernels {
  /** The kernels; they hold no state. */
  static final OpenBlas INSTANCE = new OpenBlas();

  private static final byte UPPER = 'U';
  /** A single 1 and a single 0, read with stride 0 as vectors of ones or zeros of any length. */
  private static final DoublePointer DOUBLE_ONE = new DoublePointer(1.0);
  private static final FloatPointer FLOAT_ONE = new FloatPointer(1f);
  private static final DoublePointer DOUBLE_ZERO = new DoublePointer(0.0);
  private static final FloatPointer FLOAT_ZERO = new FloatPointer(0f);

  private OpenBlas() {}

  /**
   * By the jvm backend's fused kernels ({@link HostKernels}) on copies of the operands in Java arrays: the copies cost
   * O((n + m)·p), the products O(n·m·p), and OpenBLAS has no product through an activation (forming the activations
   * in blocks took 4× as long at n = 2000, d = 10, m = 10⁶).
   */
  @Override
  public boolean activatedProduct(INDArray x, INDArray w, INDArray c, Activation activation, double alpha,
      INDArray out) {
    int n = (int) x.size(0);
    int m = (int) w.size(0);
    int p = (int) x.size(1);
    int q = (int) (c.length() / m);
    if (isDouble(out)) {
      double[] result = new double[n * q];
      HostKernels.activatedProduct(x.data().asDouble(), w.data().asDouble(), c.data().asDouble(), result, n, m, p, q,
          activation, alpha);
      out.data().setData(result);
    } else {
      float[] result = new float[n * q];
      HostKernels.activatedProduct(x.data().asFloat(), w.data().asFloat(), c.data().asFloat(), result, n, m, p, q,
          activation, alpha);
      out.data().setData(result);
    }
    return true;
  }

  /** By the jvm backend's fused kernels on copies in Java arrays, as {@link #activatedProduct}. */
  @Override
  public boolean activatedTransposedProducts(INDArray x, INDArray w, INDArray r, INDArray s, Activation activation,
      double alpha, double beta, INDArray g, INDArray h) {
    int n = (int) x.size(0);
    int m = (int) w.size(0);
    int p = (int) x.size(1);
    int qr = (int) (r.length() / n);
    int qs = (int) (s.length() / n);
    if (isDouble(g)) {
      double[] gs = new double[m * qr];
      double[] hs = new double[m * qs];
      HostKernels.activatedTransposedProducts(x.data().asDouble(), w.data().asDouble(), r.data().asDouble(), qr,
          s.data().asDouble(), qs, gs, hs, n, m, p, activation, alpha, beta);
      g.data().setData(gs);
      h.data().setData(hs);
    } else {
      float[] gs = new float[m * qr];
      float[] hs = new float[m * qs];
      HostKernels.activatedTransposedProducts(x.data().asFloat(), w.data().asFloat(), r.data().asFloat(), qr,
          s.data().asFloat(), qs, gs, hs, n, m, p, activation, alpha, beta);
      g.data().setData(gs);
      h.data().setData(hs);
    }
    return true;
  }

  /**
   * c ← alpha · op(a) · op(b), overwriting c (m×n) without reading it.
   *
   * @param k the inner dimension of the product
   */
  @Override
  public void gemm(INDArray a, boolean transA, INDArray b, boolean transB, INDArray c, int m, int n, int k,
      double alpha) {
    int ta = transA ? CblasTrans : CblasNoTrans;
    if (n == 1) {
      // c = α·op(a)·x with x the k entries of b (k×1, or 1×k transposed): gemv, which OpenBLAS runs far faster than a
      // one-column gemm (measured: 2000×1024 blocks of a particle flow, ten times)
      int rows = transA ? k : m;
      int cols = transA ? m : k;
      if (isDouble(c)) {
        cblas_dgemv(CblasRowMajor, ta, rows, cols, alpha, doubles(a), stride(a), doubles(b), 1, 0.0, doubles(c), 1);
      } else {
        cblas_sgemv(CblasRowMajor, ta, rows, cols, (float) alpha, floats(a), stride(a), floats(b), 1, 0f, floats(c), 1);
      }
      return;
    }
    int tb = transB ? CblasTrans : CblasNoTrans;
    if (isDouble(c)) {
      cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, alpha, doubles(a), stride(a), doubles(b), stride(b), 0.0,
          doubles(c), stride(c));
    } else {
      cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, (float) alpha, floats(a), stride(a), floats(b), stride(b), 0f,
          floats(c), stride(c));
    }
  }

  /**
   * The Gram matrix c ← alpha · op(a) · op(a)ᵀ (n×n, op(a) n×k) by a symmetric rank-k update, which does
   * half the multiply-adds of gemm: syrk fills the lower triangle, then each column below the diagonal is
   * copied into the row right of it.
   */
  @Override
  public void gram(INDArray a, boolean transA, INDArray c, int n, int k, double alpha) {
    int ta = transA ? CblasTrans : CblasNoTrans;
    if (isDouble(c)) {
      DoublePointer cp = doubles(c);
      cblas_dsyrk(CblasRowMajor, CblasLower, ta, n, k, alpha, doubles(a), stride(a), 0.0, cp, n);
      for (int j = 0; j + 1 < n; j++) {
        cblas_dcopy(n - j - 1, cp.getPointer((long) (j + 1) * n + j), n, cp.getPointer((long) j * n + j + 1), 1);
      }
    } else {
      FloatPointer cp = floats(c);
      cblas_ssyrk(CblasRowMajor, CblasLower, ta, n, k, (float) alpha, floats(a), stride(a), 0f, cp, n);
      for (int j = 0; j + 1 < n; j++) {
        cblas_scopy(n - j - 1, cp.getPointer((long) (j + 1) * n + j), n, cp.getPointer((long) j * n + j + 1), 1);
      }
    }
  }

  /** @return Σ x_i y_i over {@code x.length()} elements, accumulated in double (dsdot for float data) */
  @Override
  public double dot(INDArray x, INDArray y) {
    int n = (int) x.length();
    return isDouble(x)
        ? cblas_ddot(n, doubles(x), 1, doubles(y), 1)
        : cblas_dsdot(n, floats(x), 1, floats(y), 1);
  }

  /** a ← a + s·I for the n×n matrix a: an axpy from the constant 1 (stride 0) onto the diagonal (stride n + 1). */
  @Override
  public void addDiagonal(INDArray a, int n, double s) {
    if (isDouble(a)) {
      cblas_daxpy(n, s, DOUBLE_ONE, 0, doubles(a), n + 1);
    } else {
      cblas_saxpy(n, (float) s, FLOAT_ONE, 0, floats(a), n + 1);
    }
  }

  /** @return Σ x_i, accumulated in double: the dot product with a vector of ones */
  @Override
  public double sum(INDArray x) {
    return dotConstant(x, DOUBLE_ONE, FLOAT_ONE);
  }

  /**
   * @return whether no element is NaN or ±∞: the dot product with a vector of zeros is 0 when every
   *     0·x_i is, and NaN as soon as one x_i is NaN or infinite (it cannot overflow)
   */
  @Override
  public boolean allFinite(INDArray x) {
    return !Double.isNaN(dotConstant(x, DOUBLE_ZERO, FLOAT_ZERO));
  }

  /** @return Σ x_i·c for the constant c held by the pointer of x's type, accumulated in double */
  private static double dotConstant(INDArray x, DoublePointer dc, FloatPointer fc) {
    int n = (int) x.length();
    return isDouble(x) ? cblas_ddot(n, doubles(x), 1, dc, 0) : cblas_dsdot(n, floats(x), 1, fc, 0);
  }

  /**
   * Solves {@code a · x = b} in place: {@code a} (n×n, only its lower triangle is read) is overwritten
   * by its Cholesky factor, {@code b} (n×nrhs) by x. The row-major lower triangle is the column-major upper
   * one, so potrf factors it where it lies (row-major LAPACKE would transpose a copy in and out): a = UᵀU
   * with U column-major upper, i.e. a = L Lᵀ with L = Uᵀ row-major lower; then L y = b and Lᵀ x = y by two
   * triangular solves.
   *
   * @throws ArithmeticException if {@code a} is not positive definite
   */
  @Override
  public void choleskySolveInPlace(INDArray a, INDArray b, int n, int nrhs) {
    boolean dbl = isDouble(a);
    int lda = Math.max(1, n);
    int ldb = Math.max(1, nrhs);
    int info = dbl
        ? LAPACKE_dpotrf(LAPACK_COL_MAJOR, UPPER, n, doubles(a), lda)
        : LAPACKE_spotrf(LAPACK_COL_MAJOR, UPPER, n, floats(a), lda);
    if (info > 0) {
      throw new ArithmeticException("choleskySolve: the " + n + "×" + n
          + " matrix is not positive definite (its leading minor of order " + info + " is not positive)");
    }
    checkArguments("potrf", info);
    for (int trans : new int[] {CblasNoTrans, CblasTrans}) {
      if (dbl) {
        cblas_dtrsm(CblasRowMajor, CblasLeft, CblasLower, trans, CblasNonUnit, n, nrhs, 1.0, doubles(a), lda, doubles(b), ldb);
      } else {
        cblas_strsm(CblasRowMajor, CblasLeft, CblasLower, trans, CblasNonUnit, n, nrhs, 1f, floats(a), lda, floats(b), ldb);
      }
    }
  }

  /** Fails on a negative LAPACK info: an invalid argument, so a bug here rather than bad input. */
  private static void checkArguments(String routine, int info) {
    if (info < 0) {
      throw new IllegalStateException(routine + ": LAPACK rejected argument " + (-info));
    }
  }

  /** @return the row stride (leading dimension) of the row-major matrix a; 1 for a rank-1 column */
  private static int stride(INDArray a) {
    return a.rank() == 1 ? 1 : Math.max(1, (int) a.size(1));
  }

  private static boolean isDouble(INDArray a) {
    return a.dataType() == DataType.DOUBLE;
  }

  private static DoublePointer doubles(INDArray a) {
    return (DoublePointer) a.data().addressPointer();
  }

  private static FloatPointer floats(INDArray a) {
    return (FloatPointer) a.data().addressPointer();
  }
}
