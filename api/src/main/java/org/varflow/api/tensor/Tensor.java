package org.varflow.api.tensor;

/**
 * A dense, row-major (C order) array of rank 1 or 2 in one {@link Precision}, owned by a {@link Backend}.
 *
 * <p>The operations are coarse on purpose: each does O(size) or more work, so a backend whose per-call
 * overhead is ~10 µs (native libraries) still runs at full speed. Methods ending in {@code i} work in
 * place and return {@code this}; all others return a new tensor and leave their operands unchanged.
 * Operands must have the same precision and come from the same backend.
 *
 * <p>A rank-1 tensor of length k acts as a k×1 column where a matrix is expected ({@link #rows()} is
 * k, {@link #cols()} is 1).
 *
 * <h2>Ownership: who releases a tensor</h2>
 * This is the one rule for every backend and plugin; the SPIs that hand tensors across refer to it.
 * <ul>
 *   <li>A tensor returned by a {@link TensorFactory} method or by an operation of this interface that does
 *       not end in {@code i} is new and <em>owned by the caller</em>. The owner calls {@link #release()}
 *       once it is done with it, so that native backends reuse the memory at once (an owner that never
 *       releases only leaves the memory to the garbage collector).
 *   <li>An in-place operation ({@code addi}, {@code axpyi}, ...) returns {@code this}: no new tensor, no
 *       new owner.
 *   <li>{@link #reshape} returns a view that shares this tensor's storage <em>and its lifetime</em>:
 *       release exactly one of the two, once; afterwards neither may be used.
 *   <li>Using a released tensor (as {@code this} or as an operand) or releasing it again throws
 *       {@link IllegalStateException} naming the operation, on every backend. Only {@link #shape()},
 *       {@link #rows()}, {@link #cols()}, {@link #size()}, {@link #precision()} and {@link #factory()}
 *       stay readable.
 *   <li>Across the plugin SPIs: a flow's {@code state()} tensors and its {@code LinearFlow.operator()} and
 *       {@code rhs()} are owned by the flow (solvers may move the state in place, nobody else releases
 *       them); the velocity tensors of an {@code Evaluation}, the result of {@code LinearFlow.apply}, of
 *       {@code DiscreteFlow.predictions} and the map of {@code DiscreteFlow.parameters()} are new and owned
 *       by the caller.
 * </ul>
 * Backends implement the rule with one {@link Lifetime} per allocation, shared with reshape views.
 */
public interface Tensor {

  /** @return the element precision */
  Precision precision();

  /** @return the factory of this tensor's backend, to make new tensors that can be combined with it */
  TensorFactory factory();

  /** @return a copy of the shape: {@code [k]} or {@code [rows, cols]} */
  int[] shape();

  /** @return the number of rows (length for rank 1) */
  int rows();

  /** @return the number of columns (1 for rank 1) */
  int cols();

  /** @return rows × cols */
  default long size() {
    return (long) rows() * cols();
  }

  /**
   * @param shape new shape with the same number of elements
   * @return a tensor with the same elements in the same (row-major) order; may share storage
   */
  Tensor reshape(int... shape);

  /** @return an independent copy */
  Tensor copy();

  /**
   * A block of rows, for computations that go over a large tensor in blocks (a block of particles): a copy, which
   * costs O(block·cols), so that every backend's operations keep dense operands.
   *
   * @return rows {@code from} (inclusive) to {@code to} (exclusive) as a new tensor: (to − from) entries of a rank-1
   *     tensor, (to − from)×cols of a matrix
   * @throws IndexOutOfBoundsException unless 0 ≤ from &lt; to ≤ rows()
   */
  Tensor rows(int from, int to);

  /**
   * this[from + i] ← source[i] for every row i of {@code source} (entries of a rank-1 tensor): writes a block back.
   *
   * @return this
   * @throws IllegalArgumentException unless {@code source} has this tensor's rank and columns
   * @throws IndexOutOfBoundsException unless its rows fit from row {@code from}
   */
  Tensor setRowsi(int from, Tensor source);

  /** @return a copy converted to {@code precision} (a copy even if it is already in it) */
  Tensor cast(Precision precision);

  /**
   * General matrix product {@code alpha · op(this) · op(b)}, op = transpose when the flag is set.
   *
   * @return a new rows(op(this)) × cols(op(b)) matrix
   */
  Tensor matmul(Tensor b, boolean transposeThis, boolean transposeB, double alpha);

  /** @return σ(this) elementwise */
  Tensor activate(Activation activation);

  /** @return σ'(this) elementwise */
  Tensor activateDerivative(Activation activation);

  /**
   * The bytes of the activations that {@link #activatedProduct} and {@link #activatedTransposedProducts} form at once
   * by default: 32 MiB (at n = 2000 samples in float64, 2097 rows of w).
   */
  long ACTIVATION_BLOCK_BYTES = 32L << 20;

  /**
   * @param n the rows of X
   * @param m the rows of w
   * @param bytesPerElement 4 or 8
   * @return β: the most rows of w whose n×β activations take {@link #ACTIVATION_BLOCK_BYTES}, at least 64, at most m
   */
  static int activationBlock(int n, int m, int bytesPerElement) {
    return (int) Math.min(m, Math.max(64, ACTIVATION_BLOCK_BYTES / ((long) Math.max(1, n) * bytesPerElement)));
  }

  /**
   * α·σ(X wᵀ)·c for X = this (n×p), w (m×p) and c (m×q, or a vector of length m): the forward pass of a two-layer
   * network, f = σ(X Wᵀ) a, without holding the n×m activations. By default it goes over blocks of
   * {@link #activationBlock} rows of w, forming each block's activations with {@link #matmul} and {@link #activate};
   * a backend may fuse the two products in cache instead. Either way the result equals the unfused product to
   * round-off.
   *
   * @return a new n×q matrix
   * @throws IllegalArgumentException when the shapes do not match
   */
  default Tensor activatedProduct(Tensor w, Activation activation, Tensor c, double alpha) {
    Tensor out = null;
    int m = w.rows();
    for (int first = 0, block = activationBlock(rows(), m, precision().bytes()); first < m; first += block) {
      int last = Math.min(m, first + block);
      Tensor wb = last - first == m ? w : w.rows(first, last);
      Tensor cb = last - first == m ? c : c.rows(first, last);
      Tensor z = matmul(wb, false, true, 1.0);
      Tensor phi = z.activate(activation);
      z.release();
      Tensor term = phi.matmul(cb, false, false, alpha);
      phi.release();
      if (wb != w) {
        releaseAll(wb, cb);
      }
      if (out == null) {
        out = term;
      } else {
        out.addi(term);
        term.release();
      }
    }
    return out;
  }

  /**
   * α·σ(Z)ᵀ·r and β·σ'(Z)ᵀ·s at Z = X wᵀ, X = this (n×p), w (m×p), r (n×q₁) and s (n×q₂), vectors of length n
   * acting as columns: the two products of a two-layer network's gradient (r the residuals, s = diag(r) X), without
   * holding the n×m activations. By default over blocks of {@link #activationBlock} rows of w, as
   * {@link #activatedProduct}; a backend may fuse them in cache instead.
   *
   * @return two new matrices, m×q₁ and m×q₂
   * @throws IllegalArgumentException when the shapes do not match
   */
  default Tensor[] activatedTransposedProducts(Tensor w, Activation activation, Tensor r, Tensor s, double alpha,
      double beta) {
    int m = w.rows();
    int block = activationBlock(rows(), m, precision().bytes());
    Tensor[] out = new Tensor[2];
    for (int first = 0; first < m; first += block) {
      int last = Math.min(m, first + block);
      Tensor wb = last - first == m ? w : w.rows(first, last);
      Tensor z = matmul(wb, false, true, 1.0);
      if (wb != w) {
        wb.release();
      }
      Tensor phi = z.activate(activation);
      Tensor psi = z.activateDerivative(activation);
      z.release();
      Tensor g = phi.matmul(r, true, false, alpha);
      Tensor h = psi.matmul(s, true, false, beta);
      releaseAll(phi, psi);
      if (out[0] == null) {
        out[0] = last == m ? g : factory().zeros(precision(), m, g.cols());
        out[1] = last == m ? h : factory().zeros(precision(), m, h.cols());
      }
      if (g != out[0]) {
        out[0].setRowsi(first, g);
        out[1].setRowsi(first, h);
        releaseAll(g, h);
      }
    }
    return out;
  }

  /** @return √this elementwise, NaN where an element is negative (as {@link Math#sqrt}) */
  Tensor sqrt();

  /** @return |this| elementwise */
  Tensor abs();

  /** @return this + o (same shape) */
  Tensor add(Tensor o);

  /** @return this − o (same shape) */
  Tensor sub(Tensor o);

  /** @return this ⊙ o (same shape) */
  Tensor mul(Tensor o);

  /** @return this ⊘ o, out[i][j] = this[i][j] / o[i][j] (same shape; IEEE: x/0 = ±∞, 0/0 = NaN) */
  Tensor div(Tensor o);

  /** this ← this + o; @return this */
  Tensor addi(Tensor o);

  /** this ← this ⊙ o; @return this */
  Tensor muli(Tensor o);

  /** this ← this ⊘ o, this[i][j] ← this[i][j] / o[i][j]; @return this */
  Tensor divi(Tensor o);

  /** this ← this + alpha·x (same shape); @return this */
  Tensor axpyi(double alpha, Tensor x);

  /** @return s · this */
  Tensor scale(double s);

  /** this ← this + s·I for a square matrix (e.g. a ridge or implicit-Euler shift); @return this */
  Tensor addDiagonali(double s);

  /** this ← s · this; @return this */
  Tensor scalei(double s);

  /** @return out[i][j] = this[i][j] · v[j], v of length cols() */
  Tensor mulRowVector(Tensor v);

  /** @return out[i][j] = this[i][j] · v[i], v of length rows() */
  Tensor mulColumnVector(Tensor v);

  /** @return out[i][j] = this[i][j] + v[j], v of length cols() */
  Tensor addRowVector(Tensor v);

  /** @return column sums Σ_i this[i][j], rank 1 of length cols() */
  Tensor columnSums();

  /** @return row sums Σ_j this[i][j], rank 1 of length rows() */
  Tensor rowSums();

  /** @return Σ this[i][j], accumulated in float64 */
  double sum();

  /** @return Σ this[i][j]·o[i][j] (same size), accumulated in float64 */
  double dot(Tensor o);

  /** @return Σ this[i][j]², accumulated in float64 */
  default double squaredNorm() {
    return dot(this);
  }

  /** @return whether no element is NaN or ±∞ */
  boolean allFinite();

  /**
   * Solves {@code this · X = b} for a symmetric positive definite {@code this} by Cholesky factorisation.
   *
   * @param b right-hand side, rank 1 of length rows() or rows()×r
   * @return X with the shape of b
   * @throws ArithmeticException if this is not (numerically) positive definite
   */
  Tensor choleskySolve(Tensor b);

  /** @return the elements in row-major order, converted to double */
  double[] toDoubleArray();

  /** @return the elements in row-major order, converted to float */
  float[] toFloatArray();

  /** @return element (i, j); for rank 1, j must be 0 */
  double get(int i, int j);

  /**
   * Ends this tensor's lifetime (see the ownership rule above): frees its storage now rather than when it
   * is garbage collected, so that native backends reuse large temporaries at once. Neither this tensor nor
   * any {@link #reshape} view of it may be used afterwards.
   *
   * @throws IllegalStateException if this tensor or a view sharing its storage was already released
   */
  void release();

  /** Releases each of {@code temporaries} that is not null (see {@link #release()}). */
  static void releaseAll(Tensor... temporaries) {
    for (Tensor t : temporaries) {
      if (t != null) {
        t.release();
      }
    }
  }
}
