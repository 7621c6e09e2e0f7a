package org.varflow.backend.jvm;

import java.util.Arrays;

/**
 * Multi-threaded, cache-blocked matrix product C += α·op(A)·op(B) on row-major arrays.
 *
 * <p>C is cut into tiles of {@code mc} rows × {@link #NT} columns, computed in parallel. For each block
 * of {@link #KC} along the inner dimension, a tile packs op(B) into a KC×NT panel (L2-resident, in groups
 * of {@link #KU} rows, zero-padded) and α·op(A) into k-major micro-panels of {@link #MR} rows. The
 * micro-kernel then adds, in each pass over the NT contiguous columns of the panel, the MR×KU products
 * a[r][p]·b[p][j] into an MR×NT accumulator (L1-resident); the JIT compiles that loop to SIMD code. Both
 * transposes are absorbed by the packing. When C is narrower than a panel, Cᵀ = op(B)ᵀ·op(A)ᵀ is computed
 * instead and added back transposed, so that the panels stay full; matrix-vector products skip the packing.
 *
 * <p>Every element of C is summed in the same order whatever the thread count.
 *
 * @param <A> the array type, {@code float[]} or {@code double[]}
 */
abstract class Gemm<A> {
  /** Columns of C per panel; a compile-time constant so that the kernel loop vectorizes. */
  static final int NT = 512;
  /** Rows of C per kernel call. */
  static final int MR = 3;
  /** Inner-dimension steps per kernel pass over the panel. */
  static final int KU = 4;
  /** Inner-dimension block, a multiple of KU. */
  static final int KC = 256;

  /** The float32 instance. */
  static final Gemm<float[]> F32 = new F32();
  /** The float64 instance. */
  static final Gemm<double[]> F64 = new F64();

  /** Rows of a tile: at least MC_MIN unless C is smaller, at most MC_MAX (bounds the repacking of B). */
  private static final int MC_MIN = 128;
  private static final int MC_MAX = 1024;
  /** Below this many flops a product runs on the calling thread. */
  private static final long PARALLEL_FLOPS = 1L << 22;
  /** Most partial sums a transposed matrix-vector product keeps. */
  private static final int GEMV_PARTS = 8;

  private final ThreadLocal<Workspace<A>> workspace = ThreadLocal.withInitial(
      () -> new Workspace<>(rows(ceilDiv(MC_MAX, MR), KC * MR), rows(KC / KU, KU * NT), alloc(MR * NT)));

  /**
   * A matrix operand: op(X)[i][p] is {@code data[offset + i·ld + p]}, or {@code data[offset + p·ld + i]}
   * when transposed.
   */
  record Operand<A>(A data, int offset, int ld, boolean transposed) {
    int rowStride() {
      return transposed ? 1 : ld;
    }

    int colStride() {
      return transposed ? ld : 1;
    }

    Operand<A> transpose() {
      return new Operand<>(data, offset, ld, !transposed);
    }
  }

  /** Per-thread buffers: A micro-panels (one per MR rows of the tile), B panel groups, the accumulator. */
  private record Workspace<A>(A[] ap, A[] bp, A acc) {}

  /**
   * C[cOffset + i·ldc + j] += α·Σ_p op(A)[i][p]·op(B)[p][j] for i &lt; m, j &lt; n, p &lt; k. C must not
   * overlap A or B.
   */
  final void multiply(Operand<A> a, Operand<A> b, A c, int cOffset, int ldc, int m, int n, int k, double alpha) {
    if (m == 0 || n == 0 || k == 0) {
      return;
    }
    if (n == 1) {
      gemv(a, b.data, b.offset, b.rowStride(), c, cOffset, ldc, m, k, alpha);
    } else if (m == 1) {
      gemv(b.transpose(), a.data, a.offset, a.colStride(), c, cOffset, 1, n, k, alpha);
    } else if (4 * paddedWork(n, m) < 3 * paddedWork(m, n)) {
      A t = alloc(n * m);
      run(b.transpose(), a.transpose(), t, 0, m, n, m, k, alpha);
      addTransposed(t, c, cOffset, ldc, m, n);
    } else {
      run(a, b, c, cOffset, ldc, m, n, k, alpha);
    }
  }

  /**
   * y[y0 + i·ys] += α·Σ_p op(A)[i][p]·x[x0 + p·xs] for i &lt; m, p &lt; k, reading A once along its rows:
   * when op(A) = A, dot products of ranges of rows in parallel; when op(A) = Aᵀ, partial sums Σ_p x_p·A[p]
   * over ranges of rows p in parallel, added to y in order. Memory-bound, so no packing.
   */
  private void gemv(Operand<A> a, A x, int x0, int xs, A y, int y0, int ys, int m, int k, double alpha) {
    if (a.colStride() == 1) {
      Parallel.forRange(m, (int) Math.max(1, PARALLEL_FLOPS / (2L * k)),
          (i0, i1) -> dots(a.data, a.offset, a.rowStride(), x, x0, xs, y, y0, ys, i0, i1, k, alpha));
    } else {
      int grain = (int) Math.max(ceilDiv(k, GEMV_PARTS), PARALLEL_FLOPS / (2L * m));
      for (Object part : Parallel.map(k, grain, (p0, p1) -> axpys(a.data, a.offset, a.colStride(), x, x0, xs, p0, p1, m))) {
        @SuppressWarnings("unchecked")
        A sum = (A) part;
        addScaled(alpha, sum, y, y0, ys, m);
      }
    }
  }

  /** @return multiply-adds done for an m×n C, counting the padding to whole kernels and panels */
  private long paddedWork(int m, int n) {
    return (long) ceilDiv(m, MR) * MR * ceilDiv(n, NT);
  }

  /** C[c0 + i·ldc + j] += α·op(A)·op(B): tiles of C in parallel. */
  private void run(Operand<A> a, Operand<A> b, A c, int c0, int ldc, int m, int n, int k, double alpha) {
    int panels = ceilDiv(n, NT);
    int rowBlocks = Math.max(ceilDiv(m, MC_MAX), Math.min(ceilDiv(m, MC_MIN), ceilDiv(4 * Parallel.THREADS, panels)));
    int mc = ceilDiv(ceilDiv(m, rowBlocks), MR) * MR;
    int tiles = ceilDiv(m, mc) * panels;
    int grain = 2.0 * m * n * k < PARALLEL_FLOPS ? tiles : 1;
    Parallel.forRange(tiles, grain, (t0, t1) -> {
      Workspace<A> w = workspace.get();
      for (int t = t0; t < t1; t++) {
        int i0 = t / panels * mc;
        int j0 = t % panels * NT;
        tile(a, b, c, c0, ldc, i0, Math.min(m, i0 + mc), j0, Math.min(NT, n - j0), k, alpha, w);
      }
    });
  }

  /** Rows [i0, i1) × columns [j0, j0 + nr) of C, over the whole inner dimension. */
  private void tile(Operand<A> a, Operand<A> b, A c, int c0, int ldc, int i0, int i1, int j0, int nr, int k, double alpha,
      Workspace<A> w) {
    int panels = ceilDiv(i1 - i0, MR);
    for (int p0 = 0; p0 < k; p0 += KC) {
      int kk = Math.min(KC, k - p0);
      int groups = ceilDiv(kk, KU);
      zero(w.bp[groups - 1], (kk - (groups - 1) * KU) * NT, KU * NT);
      deal(1.0, b.data, b.offset + p0 * b.rowStride() + j0 * b.colStride(), b.rowStride(), b.colStride(), w.bp, KU, NT, 1,
          kk, nr);
      for (int t = 0; t < panels; t++) {
        zero(w.ap[t], kk * MR, groups * KU * MR);
      }
      deal(alpha, a.data, a.offset + i0 * a.rowStride() + p0 * a.colStride(), a.rowStride(), a.colStride(), w.ap, MR, 1,
          MR, i1 - i0, kk);
      for (int t = 0; t < panels; t++) {
        int i = i0 + t * MR;
        kernel(w.ap[t], w.bp, groups, w.acc, c, c0 + i * ldc + j0, ldc, Math.min(MR, i1 - i), nr);
      }
    }
  }

  static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  /** @return a new zeroed array of length n */
  abstract A alloc(int n);

  /** @return n new zeroed arrays of the given length */
  abstract A[] rows(int n, int length);

  /** x[from, to) ← 0. */
  abstract void zero(A x, int from, int to);

  /**
   * Packs: dst[u / g][(u % g)·du + v·dv] = s·src[s0 + u·su + v·sv] for u &lt; nu, v &lt; nv, so rows u are
   * dealt in groups of g to the arrays of dst; the source is read along rows, or along columns when those
   * are contiguous.
   */
  abstract void deal(double s, A src, int s0, int su, int sv, A[] dst, int g, int du, int dv, int nu, int nv);

  /** c[c0 + i·ldc + j] += t[j·m + i] for i &lt; m, j &lt; n. */
  abstract void addTransposed(A t, A c, int c0, int ldc, int m, int n);

  /** y[y0 + i·ys] += α·Σ_{p &lt; k} a[a0 + i·lda + p]·x[x0 + p·xs] for i in [i0, i1), four partial sums each. */
  abstract void dots(A a, int a0, int lda, A x, int x0, int xs, A y, int y0, int ys, int i0, int i1, int k, double alpha);

  /** @return s[i] = Σ_{p0 ≤ p &lt; p1} x[x0 + p·xs]·a[a0 + p·lda + i] for i &lt; m, summed row by row */
  abstract A axpys(A a, int a0, int lda, A x, int x0, int xs, int p0, int p1, int m);

  /** y[y0 + i·ys] += α·s[i] for i &lt; m. */
  abstract void addScaled(double alpha, A s, A y, int y0, int ys, int m);

  /**
   * The micro-kernel: c[c0 + r·ldc + j] += Σ_{g &lt; groups, q &lt; KU} ap[(g·KU + q)·MR + r]·bp[g][q·NT + j]
   * for r &lt; rows, j &lt; cols, summed first into acc[r·NT + j] over all NT columns.
   *
   * <p>Written so that the JIT vectorizes the loop over j: a constant trip count, panels and accumulator
   * as separate arrays read at constant offsets, and a method too large to be inlined into its caller
   * (inlined, the loop is not vectorized). Which forms vectorize is fragile: this exact form was measured
   * to run at SIMD speed on JDK 17 and 25, where equivalent-looking ones did not; re-measure after edits.
   */
  abstract void kernel(A ap, A[] bp, int groups, A acc, A c, int c0, int ldc, int rows, int cols);

  /** The float32 instance. */
  private static final class F32 extends Gemm<float[]> {
    @Override
    float[] alloc(int n) {
      return new float[n];
    }

    @Override
    float[][] rows(int n, int length) {
      return new float[n][length];
    }

    @Override
    void zero(float[] x, int from, int to) {
      Arrays.fill(x, from, to, 0f);
    }

    @Override
    void deal(double s, float[] src, int s0, int su, int sv, float[][] dst, int g, int du, int dv, int nu, int nv) {
      float f = (float) s;
      if (su != 1) {
        for (int u = 0; u < nu; u++) {
          float[] d = dst[u / g];
          int di = u % g * du;
          int si = s0 + u * su;
          for (int v = 0; v < nv; v++) {
            d[di + v * dv] = f * src[si + v * sv];
          }
        }
      } else {
        for (int v = 0; v < nv; v++) {
          int si = s0 + v * sv;
          for (int u0 = 0; u0 < nu; u0 += g) {
            float[] d = dst[u0 / g];
            for (int q = 0; q < Math.min(g, nu - u0); q++) {
              d[q * du + v * dv] = f * src[si + u0 + q];
            }
          }
        }
      }
    }

    @Override
    void dots(float[] a, int a0, int lda, float[] x, int x0, int xs, float[] y, int y0, int ys, int i0, int i1, int k,
        double alpha) {
      int k4 = k & ~3;
      for (int i = i0; i < i1; i++) {
        int r = a0 + i * lda;
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        for (int p = 0; p < k4; p += 4) {
          s0 += a[r + p] * x[x0 + p * xs];
          s1 += a[r + p + 1] * x[x0 + (p + 1) * xs];
          s2 += a[r + p + 2] * x[x0 + (p + 2) * xs];
          s3 += a[r + p + 3] * x[x0 + (p + 3) * xs];
        }
        for (int p = k4; p < k; p++) {
          s0 += a[r + p] * x[x0 + p * xs];
        }
        y[y0 + i * ys] += (float) alpha * ((s0 + s1) + (s2 + s3));
      }
    }

    @Override
    float[] axpys(float[] a, int a0, int lda, float[] x, int x0, int xs, int p0, int p1, int m) {
      float[] sum = new float[m];
      for (int p = p0; p < p1; p++) {
        float s = x[x0 + p * xs];
        int r = a0 + p * lda;
        for (int i = 0; i < m; i++) {
          sum[i] += s * a[r + i];
        }
      }
      return sum;
    }

    @Override
    void addScaled(double alpha, float[] s, float[] y, int y0, int ys, int m) {
      for (int i = 0; i < m; i++) {
        y[y0 + i * ys] += (float) alpha * s[i];
      }
    }

    @Override
    void addTransposed(float[] t, float[] c, int c0, int ldc, int m, int n) {
      for (int i = 0; i < m; i++) {
        int o = c0 + i * ldc;
        for (int j = 0; j < n; j++) {
          c[o + j] += t[j * m + i];
        }
      }
    }

    @Override
    void kernel(float[] ap, float[][] bp, int groups, float[] acc, float[] c, int c0, int ldc, int rows, int cols) {
      Arrays.fill(acc, 0f);
      for (int g = 0; g < groups; g++) {
        int a = g * (MR * KU);
        float[] b = bp[g];
        float a00 = ap[a + 0];
        float a10 = ap[a + 1];
        float a20 = ap[a + 2];
        float a01 = ap[a + 3];
        float a11 = ap[a + 4];
        float a21 = ap[a + 5];
        float a02 = ap[a + 6];
        float a12 = ap[a + 7];
        float a22 = ap[a + 8];
        float a03 = ap[a + 9];
        float a13 = ap[a + 10];
        float a23 = ap[a + 11];
        for (int j = 0; j < NT; j++) {
          float x0 = b[0 * NT + j];
          float x1 = b[1 * NT + j];
          float x2 = b[2 * NT + j];
          float x3 = b[3 * NT + j];
          acc[0 * NT + j] += a00 * x0 + a01 * x1 + a02 * x2 + a03 * x3;
          acc[1 * NT + j] += a10 * x0 + a11 * x1 + a12 * x2 + a13 * x3;
          acc[2 * NT + j] += a20 * x0 + a21 * x1 + a22 * x2 + a23 * x3;
        }
      }
      for (int r = 0; r < rows; r++) {
        int o = c0 + r * ldc;
        for (int j = 0; j < cols; j++) {
          c[o + j] += acc[r * NT + j];
        }
      }
    }
  }

  /** The float64 instance. */
  private static final class F64 extends Gemm<double[]> {
    @Override
    double[] alloc(int n) {
      return new double[n];
    }

    @Override
    double[][] rows(int n, int length) {
      return new double[n][length];
    }

    @Override
    void zero(double[] x, int from, int to) {
      Arrays.fill(x, from, to, 0.0);
    }

    @Override
    void deal(double s, double[] src, int s0, int su, int sv, double[][] dst, int g, int du, int dv, int nu, int nv) {
      if (su != 1) {
        for (int u = 0; u < nu; u++) {
          double[] d = dst[u / g];
          int di = u % g * du;
          int si = s0 + u * su;
          for (int v = 0; v < nv; v++) {
            d[di + v * dv] = s * src[si + v * sv];
          }
        }
      } else {
        for (int v = 0; v < nv; v++) {
          int si = s0 + v * sv;
          for (int u0 = 0; u0 < nu; u0 += g) {
            double[] d = dst[u0 / g];
            for (int q = 0; q < Math.min(g, nu - u0); q++) {
              d[q * du + v * dv] = s * src[si + u0 + q];
            }
          }
        }
      }
    }

    @Override
    void dots(double[] a, int a0, int lda, double[] x, int x0, int xs, double[] y, int y0, int ys, int i0, int i1, int k,
        double alpha) {
      int k4 = k & ~3;
      for (int i = i0; i < i1; i++) {
        int r = a0 + i * lda;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int p = 0; p < k4; p += 4) {
          s0 += a[r + p] * x[x0 + p * xs];
          s1 += a[r + p + 1] * x[x0 + (p + 1) * xs];
          s2 += a[r + p + 2] * x[x0 + (p + 2) * xs];
          s3 += a[r + p + 3] * x[x0 + (p + 3) * xs];
        }
        for (int p = k4; p < k; p++) {
          s0 += a[r + p] * x[x0 + p * xs];
        }
        y[y0 + i * ys] += alpha * ((s0 + s1) + (s2 + s3));
      }
    }

    @Override
    double[] axpys(double[] a, int a0, int lda, double[] x, int x0, int xs, int p0, int p1, int m) {
      double[] sum = new double[m];
      for (int p = p0; p < p1; p++) {
        double s = x[x0 + p * xs];
        int r = a0 + p * lda;
        for (int i = 0; i < m; i++) {
          sum[i] += s * a[r + i];
        }
      }
      return sum;
    }

    @Override
    void addScaled(double alpha, double[] s, double[] y, int y0, int ys, int m) {
      for (int i = 0; i < m; i++) {
        y[y0 + i * ys] += alpha * s[i];
      }
    }

    @Override
    void addTransposed(double[] t, double[] c, int c0, int ldc, int m, int n) {
      for (int i = 0; i < m; i++) {
        int o = c0 + i * ldc;
        for (int j = 0; j < n; j++) {
          c[o + j] += t[j * m + i];
        }
      }
    }

    @Override
    void kernel(double[] ap, double[][] bp, int groups, double[] acc, double[] c, int c0, int ldc, int rows, int cols) {
      Arrays.fill(acc, 0.0);
      for (int g = 0; g < groups; g++) {
        int a = g * (MR * KU);
        double[] b = bp[g];
        double a00 = ap[a + 0];
        double a10 = ap[a + 1];
        double a20 = ap[a + 2];
        double a01 = ap[a + 3];
        double a11 = ap[a + 4];
        double a21 = ap[a + 5];
        double a02 = ap[a + 6];
        double a12 = ap[a + 7];
        double a22 = ap[a + 8];
        double a03 = ap[a + 9];
        double a13 = ap[a + 10];
        double a23 = ap[a + 11];
        for (int j = 0; j < NT; j++) {
          double x0 = b[0 * NT + j];
          double x1 = b[1 * NT + j];
          double x2 = b[2 * NT + j];
          double x3 = b[3 * NT + j];
          acc[0 * NT + j] += a00 * x0 + a01 * x1 + a02 * x2 + a03 * x3;
          acc[1 * NT + j] += a10 * x0 + a11 * x1 + a12 * x2 + a13 * x3;
          acc[2 * NT + j] += a20 * x0 + a21 * x1 + a22 * x2 + a23 * x3;
        }
      }
      for (int r = 0; r < rows; r++) {
        int o = c0 + r * ldc;
        for (int j = 0; j < cols; j++) {
          c[o + j] += acc[r * NT + j];
        }
      }
    }
  }
}
