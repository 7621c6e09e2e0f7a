package org.varflow.backend.jvm;

import org.varflow.api.tensor.Activation;

/**
 * Multi-threaded, cache-blocked matrix product C += α·op(A)·op(B) on row-major arrays.
 *
 * <p>C is cut into tiles of {@code mc} rows × {@link #NT} columns, computed in parallel. For each block
 * of {@link #KC} along the inner dimension, a tile packs op(B) into p-major micro-panels of {@code NR}
 * columns (L1-resident) and α·op(A) into k-major micro-panels of {@link #MR} rows (the tile's, L2-resident).
 * The micro-kernel holds an MR×NR block of C in 2·MR SIMD registers ({@code NR} is two vectors of the
 * widest species the CPU has, up to 512 bits) and adds to it, for each p, the outer product of an A column
 * (broadcast) and a B row by fused multiply-adds — written with the Vector API, so the JIT emits
 * register-blocked FMA code on any instruction set. Both transposes are absorbed by the packing. When C is
 * narrower than a panel, Cᵀ = op(B)ᵀ·op(A)ᵀ is computed instead and added back transposed, so that the
 * panels stay full; matrix-vector products skip the packing.
 *
 * <p>Every element of C is summed in the same order whatever the thread count.
 *
 * @param <A> the array type, {@code float[]} or {@code double[]}
 */
abstract class Gemm<A> {
  /** Columns of C per panel: a multiple of every micro-panel width {@code NR} (2 to 32). */
  static final int NT = 512;
  /** Rows of C per kernel call. */
  static final int MR = 6;
  /** Inner-dimension block. */
  static final int KC = 256;

  /** The float32 instance. */
  static final Gemm<float[]> F32 = new Gemm32();
  /** The float64 instance. */
  static final Gemm<double[]> F64 = new Gemm64();

  /** Rows of a tile: at least MC_MIN unless C is smaller, at most MC_MAX (bounds the repacking of B). */
  private static final int MC_MIN = 128;
  private static final int MC_MAX = 1024;
  /** Rows of a tile of a Gram matrix: smaller tiles hug the diagonal closer, but each repacks its B panels. */
  private static final int MC_GRAM = 512;
  /** Below this many flops a product runs on the calling thread. */
  private static final long PARALLEL_FLOPS = 1L << 22;
  /** Most partial sums a transposed matrix-vector product keeps. */
  private static final int GEMV_PARTS = 8;
  /**
   * Samples per tile of a product through activations: a tile's FUSED_ROWS×{@link #NT} activations (256 KiB in
   * float64) stay in the L2 cache between the two products.
   */
  static final int FUSED_ROWS = 64;
  /** Most parts a product through activations sums separately (and adds in order). */
  private static final int MAX_PARTS = 64;
  /** Below this many panels of particles, the product through activations goes over samples in parallel. */
  private static final int SAMPLE_SPLIT = 8;
  /** Most elements the parts' sums take together. */
  private static final long PART_ELEMENTS = 1L << 22;

  /** Columns of a micro-panel: two SIMD vectors of this precision. */
  private final int nr = 2 * lanes();

  private final ThreadLocal<Workspace<A>> workspace = ThreadLocal.withInitial(
      () -> new Workspace<>(rows(ceilDiv(MC_MAX, MR), KC * MR), rows(NT / nr, KC * nr), alloc(MR * nr)));

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

  /** Per-thread buffers: A micro-panels (one per MR rows of the tile), B micro-panels, a partial-tile buffer. */
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
      run(b.transpose(), a.transpose(), t, 0, m, n, m, k, alpha, false);
      addTransposed(t, c, cOffset, ldc, m, n);
    } else {
      run(a, b, c, cOffset, ldc, m, n, k, alpha, false);
    }
  }

  /**
   * The Gram matrix C = α·op(A)·op(A)ᵀ (n×n, op(A) n×k) into a zeroed row-major C: only the tiles on and
   * below the diagonal are computed, trimmed to it, and the lower triangle is then mirrored, which does
   * about half the multiply-adds of {@link #multiply}.
   */
  final void gram(Operand<A> a, A c, int n, int k, double alpha) {
    if (n <= 1 || k == 0) {
      multiply(a, a.transpose(), c, 0, n, n, n, k, alpha);
      return;
    }
    run(a, a.transpose(), c, 0, n, n, n, k, alpha, true);
    Parallel.forRange(n, Math.max(1, (int) (PARALLEL_FLOPS / n)), (i0, i1) -> mirror(c, n, i0, i1));
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
      for (Object part : Parallel.map(k, grain, (p0, p1) -> {
        A sum = alloc(m);
        axpys(a.data, a.offset, a.colStride(), x, x0, xs, p0, p1, m, sum, 0);
        return sum;
      })) {
        @SuppressWarnings("unchecked")
        A sum = (A) part;
        addScaled(alpha, sum, y, y0, ys, m);
      }
    }
  }

  /**
   * out[i·q + c] += α·Σ_j σ(Z_ij)·cm[j·q + c] at Z = X Wᵀ (X n×p, W m×p, cm m×q, out n×q; row-major, zero
   * offset), without forming Z. The work is cut into parts done in parallel: ranges of the panels of {@link #NT}
   * particles, each part summing into rows of its own that are added in order (up to {@link #MAX_PARTS}); or, with
   * fewer than {@link #SAMPLE_SPLIT} panels, ranges of the tiles of {@link #FUSED_ROWS} samples, each part owning its
   * rows. In a part, a panel's rows of W are packed once and met by its tiles of samples: the micro-kernel forms Zᵀ of
   * the tile (particles × samples) in a per-part buffer, which is activated in place and added into the part's sums,
   * Σ_j cm_j σ(Zᵀ_j), row by row (vectorized, no reduction). Each element is summed in an order that depends on the
   * shapes alone, whatever the thread count.
   */
  final void activatedProduct(A x, A w, A cm, A out, int n, int m, int p, int q, Activation act, double alpha) {
    int panels = ceilDiv(m, NT);
    int tiles = ceilDiv(n, FUSED_ROWS);
    boolean bySamples = panels < SAMPLE_SPLIT;
    int units = bySamples ? tiles : panels;
    int worth = (int) Math.max(1, Math.min(MAX_PARTS, 2L * n * m * p / PARALLEL_FLOPS)); // parts that pay their way
    int parts = bySamples ? Math.min(tiles, worth)
        : (int) Math.max(1, Math.min(Math.min(panels, worth), PART_ELEMENTS / ((long) n * q)));
    int width = Math.min(NT, m); // particles of the widest panel
    for (Object result : Parallel.map(units, ceilDiv(units, parts), (u0, u1) -> {
      int first = bySamples ? u0 * FUSED_ROWS : 0; // the part's rows: [first, last)
      int last = bySamples ? Math.min(n, u1 * FUSED_ROWS) : n;
      A[] sums = rows(q, last - first);
      A[] wp = rows(ceilDiv(width, MR), p * MR);
      A[] xp = rows(ceilDiv(FUSED_ROWS, nr), p * nr);
      A z = alloc(width * FUSED_ROWS);
      A spill = alloc(MR * nr);
      for (int t = bySamples ? 0 : u0; t < (bySamples ? panels : u1); t++) {
        int j0 = t * NT;
        int cols = Math.min(NT, m - j0);
        deal(1.0, w, j0 * p, p, 1, wp, MR, 1, MR, cols, p);
        for (int i0 = first; i0 < last; i0 += FUSED_ROWS) {
          int rows = Math.min(FUSED_ROWS, last - i0);
          deal(1.0, x, i0 * p, p, 1, xp, nr, 1, nr, rows, p);
          clear(z, cols * rows);
          for (int b = 0; b * nr < rows; b++) { // Zᵀ (cols×rows) = W_J X_Iᵀ
            for (int a = 0; a * MR < cols; a++) {
              kernel(wp[a], xp[b], 0, nr, p, z, a * MR * rows + b * nr, rows, Math.min(MR, cols - a * MR),
                  Math.min(nr, rows - b * nr), spill);
            }
          }
          activate(act, false, z, z, 0, cols * rows);
          for (int c = 0; c < q; c++) { // sums_c[I] += Σ_j cm[j0 + j][c]·σ(Zᵀ)[j]
            axpys(z, 0, rows, cm, j0 * q + c, q, 0, cols, rows, sums[c], i0 - first);
          }
        }
      }
      return new Part<>(first, last - first, sums);
    })) {
      @SuppressWarnings("unchecked")
      Part<A> part = (Part<A>) result;
      for (int c = 0; c < q; c++) {
        addScaled(alpha, part.sums()[c], out, part.first() * q + c, q, part.rows());
      }
    }
  }

  /** The sums of a part of {@link #activatedProduct}: rows first … first + rows − 1 of each column of out. */
  private record Part<A>(int first, int rows, A[] sums) {}

  /**
   * g (m×qr) += α·σ(Z)ᵀ·r and h (m×qs) += β·σ'(Z)ᵀ·s at Z = X Wᵀ (r n×qr, s n×qs; as {@link #activatedProduct}):
   * panels of {@link #NT} particles in parallel; a panel's Wᵀ is packed once and met by tiles of
   * {@link #FUSED_ROWS} samples: the micro-kernel forms the tile's Z (samples × particles) in a per-task buffer,
   * σ and σ' of it are taken there, gᵀ gains r_Iᵀ σ(Z) row by row and hᵀ gains β s_Iᵀ σ'(Z) by the micro-kernel,
   * reading σ'(Z) in place. Each element sums its tiles in order.
   */
  final void activatedTransposedProducts(A x, A w, A r, int qr, A s, int qs, A g, A h, int n, int m, int p,
      Activation act, double alpha, double beta) {
    int width = Math.min(NT, m); // particles of the widest panel
    Parallel.forRange(ceilDiv(m, NT), 1, (t0, t1) -> {
      A[] wp = rows(ceilDiv(width, nr), p * nr);
      A[] xp = rows(ceilDiv(FUSED_ROWS, MR), p * MR);
      A[] sp = rows(ceilDiv(qs, MR), FUSED_ROWS * MR);
      A z = alloc(FUSED_ROWS * width + 2 * nr); // σ'(Z) is read in rows of nr from a partial panel's end
      A phi = alloc(FUSED_ROWS * width);
      A[] gt = rows(qr, width);
      A ht = alloc(qs * width);
      A spill = alloc(MR * nr);
      for (int t = t0; t < t1; t++) {
        int j0 = t * NT;
        int cols = Math.min(NT, m - j0);
        deal(1.0, w, j0 * p, p, 1, wp, nr, 1, nr, cols, p);
        for (A column : gt) {
          clear(column, cols);
        }
        clear(ht, qs * cols);
        for (int i0 = 0; i0 < n; i0 += FUSED_ROWS) {
          int rows = Math.min(FUSED_ROWS, n - i0);
          deal(1.0, x, i0 * p, p, 1, xp, MR, 1, MR, rows, p);
          clear(z, rows * cols);
          for (int b = 0; b * nr < cols; b++) { // Z (rows×cols) = X_I W_Jᵀ
            for (int a = 0; a * MR < rows; a++) {
              kernel(xp[a], wp[b], 0, nr, p, z, a * MR * cols + b * nr, cols, Math.min(MR, rows - a * MR),
                  Math.min(nr, cols - b * nr), spill);
            }
          }
          activate(act, false, z, phi, 0, rows * cols);
          activate(act, true, z, z, 0, rows * cols);
          for (int c = 0; c < qr; c++) { // gᵀ_c[J] += Σ_i r[i0 + i][c]·σ(Z)[i]
            axpys(phi, 0, cols, r, i0 * qr + c, qr, 0, rows, cols, gt[c], 0);
          }
          deal(beta, s, i0 * qs, 1, qs, sp, MR, 1, MR, qs, rows); // β s_Iᵀ as row panels
          for (int b = 0; b * nr < cols; b++) { // hᵀ (qs×cols) += β s_Iᵀ σ'(Z), σ'(Z) read in place
            for (int a = 0; a * MR < qs; a++) {
              kernel(sp[a], z, b * nr, cols, rows, ht, a * MR * cols + b * nr, cols, Math.min(MR, qs - a * MR),
                  Math.min(nr, cols - b * nr), spill);
            }
          }
        }
        for (int c = 0; c < qr; c++) {
          addScaled(alpha, gt[c], g, j0 * qr + c, qr, cols);
        }
        addTransposed(ht, h, j0 * qs, qs, cols, qs);
      }
    });
  }

  /** @return multiply-adds done for an m×n C, counting the padding to whole kernels and panels */
  private long paddedWork(int m, int n) {
    return (long) ceilDiv(m, MR) * MR * ceilDiv(n, NT);
  }

  /**
   * C[c0 + i·ldc + j] += α·op(A)·op(B): tiles of C in parallel; with {@code lower}, only the elements
   * j ≤ i (tiles wholly above the diagonal are skipped, the others cut at it; more stays above the diagonal).
   */
  private void run(Operand<A> a, Operand<A> b, A c, int c0, int ldc, int m, int n, int k, double alpha, boolean lower) {
    int panels = ceilDiv(n, NT);
    int rowBlocks = Math.max(ceilDiv(m, lower ? MC_GRAM : MC_MAX),
        Math.min(ceilDiv(m, MC_MIN), ceilDiv(4 * Parallel.THREADS, panels)));
    int mc = ceilDiv(ceilDiv(m, rowBlocks), MR) * MR;
    int tiles = ceilDiv(m, mc) * panels;
    int grain = 2.0 * m * n * k < PARALLEL_FLOPS ? tiles : 1;
    Parallel.forRange(tiles, grain, (t0, t1) -> {
      Workspace<A> w = workspace.get();
      for (int t = t0; t < t1; t++) {
        int i0 = t / panels * mc;
        int i1 = Math.min(m, i0 + mc);
        int j0 = t % panels * NT;
        int cols = Math.min(NT, lower ? Math.min(n, i1) - j0 : n - j0);
        if (cols > 0) {
          tile(a, b, c, c0, ldc, i0, i1, j0, cols, k, alpha, w);
        }
      }
    });
  }

  /**
   * Rows [i0, i1) × columns [j0, j0 + cols) of C, over the whole inner dimension. Packed rows and columns
   * beyond the tile keep stale numbers: they only reach accumulators that are not written back.
   */
  private void tile(Operand<A> a, Operand<A> b, A c, int c0, int ldc, int i0, int i1, int j0, int cols, int k, double alpha,
      Workspace<A> w) {
    int panels = ceilDiv(i1 - i0, MR);
    int columnPanels = ceilDiv(cols, nr);
    for (int p0 = 0; p0 < k; p0 += KC) {
      int kk = Math.min(KC, k - p0);
      deal(1.0, b.data, b.offset + p0 * b.rowStride() + j0 * b.colStride(), b.colStride(), b.rowStride(), w.bp, nr, 1, nr,
          cols, kk);
      deal(alpha, a.data, a.offset + i0 * a.rowStride() + p0 * a.colStride(), a.rowStride(), a.colStride(), w.ap, MR, 1,
          MR, i1 - i0, kk);
      for (int q = 0; q < columnPanels; q++) {
        int j = j0 + q * nr;
        for (int t = 0; t < panels; t++) {
          int i = i0 + t * MR;
          kernel(w.ap[t], w.bp[q], 0, nr, kk, c, c0 + i * ldc + j, ldc, Math.min(MR, i1 - i), Math.min(nr, j0 + cols - j),
              w.acc);
        }
      }
    }
  }

  static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  /** @return the number of elements in the SIMD vectors the kernel uses */
  abstract int lanes();

  /** @return a new zeroed array of length n */
  abstract A alloc(int n);

  /** @return n new zeroed arrays of the given length */
  abstract A[] rows(int n, int length);

  /**
   * Packs: dst[u / g][(u % g)·du + v·dv] = s·src[s0 + u·su + v·sv] for u &lt; nu, v &lt; nv, so rows u are
   * dealt in groups of g to the arrays of dst; the source is read along rows, or along columns when those
   * are contiguous.
   */
  abstract void deal(double s, A src, int s0, int su, int sv, A[] dst, int g, int du, int dv, int nu, int nv);

  /** c[c0 + i·ldc + j] += t[j·m + i] for i &lt; m, j &lt; n. */
  abstract void addTransposed(A t, A c, int c0, int ldc, int m, int n);

  /** c[i·n + j] ← c[j·n + i] for rows i in [i0, i1) and j &gt; i: the upper triangle from the lower. */
  abstract void mirror(A c, int n, int i0, int i1);

  /** y[y0 + i·ys] += α·Σ_{p &lt; k} a[a0 + i·lda + p]·x[x0 + p·xs] for i in [i0, i1), four partial sums each. */
  abstract void dots(A a, int a0, int lda, A x, int x0, int xs, A y, int y0, int ys, int i0, int i1, int k, double alpha);

  /** sum[s0 + i] += Σ_{p0 ≤ p &lt; p1} x[x0 + p·xs]·a[a0 + p·lda + i] for i &lt; m, row by row. */
  abstract void axpys(A a, int a0, int lda, A x, int x0, int xs, int p0, int p1, int m, A sum, int s0);

  /** out[i] = σ(x[i]), or σ'(x[i]) with {@code derivative}, for i in [from, to): {@link Elementwise#activate}. */
  abstract void activate(Activation act, boolean derivative, A x, A out, int from, int to);

  /** a[i] = 0 for i &lt; n. */
  abstract void clear(A a, int n);

  /** y[y0 + i·ys] += α·s[i] for i &lt; m. */
  abstract void addScaled(double alpha, A s, A y, int y0, int ys, int m);

  /**
   * The micro-kernel: c[c0 + r·ldc + j] += Σ_{p &lt; kk} ap[p·MR + r]·bp[b0 + p·ldb + j] for r &lt; rows,
   * j &lt; cols (NR = 2·lanes, ldb ≥ NR: a packed panel has b0 = 0 and ldb = NR; a row-major matrix whose rows
   * hold NR elements from b0 on is read in place). The MR×NR sums are accumulated in registers in the order of p;
   * a partial tile goes through {@code spill} (MR·NR elements) on its way to C.
   */
  abstract void kernel(A ap, A bp, int b0, int ldb, int kk, A c, int c0, int ldc, int rows, int cols, A spill);
}
