package org.varflow.backend.cuda;

/**
 * The column-major BLAS and LAPACK calls (cuBLAS, cuSOLVER) that compute row-major results. A row-major r×c buffer
 * read column-major is the c×r matrix, its transpose: so C = op(A)·op(B) row-major is Cᵀ = op(B)ᵀ·op(A)ᵀ, one gemm
 * with the operands swapped and the transpose flags kept. The mapping lives here, apart from the CUDA calls, so
 * that it is tested against a column-major CPU BLAS on machines without a GPU.
 */
final class ColumnMajor {
  /** Potrf/potrs read the column-major upper triangle of a row-major symmetric matrix: its row-major lower one. */
  static final boolean CHOLESKY_UPPER = true;

  private ColumnMajor() {}

  /** gemm(transA, transB, m, n, k, α, A, lda, B, ldb, 0, C, ldc), A and B being the buffers named by the caller. */
  record Gemm(boolean transA, boolean transB, int m, int n, int k, int lda, int ldb, int ldc) {}

  /**
   * C (m×n) = op(a)·op(b) for row-major a (with colsA columns) and b (colsB columns): the column-major call whose
   * first operand is b's buffer and whose second is a's.
   */
  static Gemm product(int m, int n, int k, boolean transposeA, int colsA, boolean transposeB, int colsB) {
    return new Gemm(transposeB, transposeA, n, m, k, Math.max(1, colsB), Math.max(1, colsA), Math.max(1, n));
  }

  /** gemv(trans, m, n, α, A, lda, x, 1, 0, y, 1) on the column-major m×n reading A of a row-major buffer. */
  record Gemv(boolean trans, int m, int n, int lda, int xLength, int yLength) {}

  /** Σ_i a[i][j] of the row-major rows×cols a = M·1, M the column-major cols×rows reading of a. */
  static Gemv columnSums(int rows, int cols) {
    return new Gemv(false, cols, rows, Math.max(1, cols), rows, cols);
  }

  /** Σ_j a[i][j] of the row-major rows×cols a = Mᵀ·1, M the column-major cols×rows reading of a. */
  static Gemv rowSums(int rows, int cols) {
    return new Gemv(true, cols, rows, Math.max(1, cols), cols, rows);
  }

  /** geam(transA, N, m, n, 1, A, lda, 0, C, ldc, C, ldc): C (m×n, column-major) = op(A). */
  record Geam(boolean transA, int m, int n, int lda, int ldc) {}

  /**
   * The row-major cols×rows transpose of a row-major rows×cols buffer: read column-major, the buffer is the cols×rows
   * A and the result the rows×cols C = Aᵀ.
   */
  static Geam transpose(int rows, int cols) {
    return new Geam(true, rows, cols, Math.max(1, cols), Math.max(1, rows));
  }
}
