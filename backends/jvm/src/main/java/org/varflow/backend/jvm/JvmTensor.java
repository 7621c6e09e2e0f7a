package org.varflow.backend.jvm;

import java.util.Arrays;
import java.util.Objects;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Lifetime;
import org.varflow.backend.support.Operands;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;
import org.varflow.backend.jvm.Elementwise.Fn;
import org.varflow.backend.jvm.Elementwise.Op;

/**
 * A dense row-major tensor on one Java array: {@code float[]} for float32, {@code double[]} for float64.
 * Loops over more than a few ten thousand elements are split across {@link Parallel}'s threads.
 */
final class JvmTensor implements Tensor {
  /** Elements per parallel chunk for memory-bound loops. */
  private static final int GRAIN = 1 << 15;
  /** Elements per parallel chunk for activations (transcendental functions). */
  private static final int GRAIN_ACTIVATION = 1 << 12;
  /** Right-hand sides per parallel chunk of a triangular solve. */
  private static final int GRAIN_RHS = 8;

  private final int[] shape;
  /** The float32 elements, or null. */
  final float[] f;
  /** The float64 elements, or null. */
  final double[] d;
  /** Shared with reshape views; when it ends, the array goes back to the {@link Heap}. */
  private final Lifetime lifetime;

  /** A new tensor owning a new array. */
  JvmTensor(int[] shape, float[] f) {
    this(shape, f, null, new Lifetime(() -> Heap.give(f)));
  }

  /** A new tensor owning a new array. */
  JvmTensor(int[] shape, double[] d) {
    this(shape, null, d, new Lifetime(() -> Heap.give(d)));
  }

  private JvmTensor(int[] shape, float[] f, double[] d, Lifetime lifetime) {
    this.shape = shape;
    this.f = f;
    this.d = d;
    this.lifetime = lifetime;
  }

  /** @return a new tensor of zeros; fails naming {@code op} for an invalid shape */
  static JvmTensor zeros(String op, Precision precision, int... shape) {
    return allocate(op, precision, true, shape);
  }

  /** @return a new tensor, zeroed or with arbitrary contents (to be overwritten) */
  private static JvmTensor allocate(String op, Precision precision, boolean zero, int... shape) {
    Objects.requireNonNull(precision, op + ": precision is null");
    int n = Operands.count(op, shape);
    return precision == Precision.FLOAT32 ? new JvmTensor(shape.clone(), Heap.floats(n, zero))
        : new JvmTensor(shape.clone(), Heap.doubles(n, zero));
  }

  /** @return a new tensor holding {@code data} rounded to {@code precision} */
  static JvmTensor of(String op, Precision precision, double[] data, int... shape) {
    Objects.requireNonNull(precision, op + ": precision is null");
    Operands.data(op, data.length, shape);
    return precision == Precision.FLOAT64 ? new JvmTensor(shape.clone(), data.clone())
        : new JvmTensor(shape.clone(), rounded(data));
  }

  /** @return a new float32 tensor holding a copy of {@code data} */
  static JvmTensor of(String op, float[] data, int... shape) {
    Operands.data(op, data.length, shape);
    return new JvmTensor(shape.clone(), data.clone());
  }

  /** @return float32 when backed by a {@code float[]}, else float64 */
  @Override
  public TensorFactory factory() {
    return JvmTensorFactory.INSTANCE;
  }

  @Override
  public Precision precision() {
    return f != null ? Precision.FLOAT32 : Precision.FLOAT64;
  }

  /** @return a copy of the shape */
  @Override
  public int[] shape() {
    return shape.clone();
  }

  /** @return shape[0] */
  @Override
  public int rows() {
    return shape[0];
  }

  /** @return shape[1], or 1 for rank 1 */
  @Override
  public int cols() {
    return shape.length == 2 ? shape[1] : 1;
  }

  private int length() {
    return f != null ? f.length : d.length;
  }

  /** @return a tensor sharing this one's array and lifetime */
  @Override
  public Tensor reshape(int... newShape) {
    live("reshape");
    Operands.reshape(this, newShape);
    return new JvmTensor(newShape.clone(), f, d, lifetime);
  }

  /** @return a tensor on a copy of this one's array */
  @Override
  public Tensor copy() {
    live("copy");
    return f != null ? new JvmTensor(shape.clone(), f.clone()) : new JvmTensor(shape.clone(), d.clone());
  }

  /** @return a tensor on a copy of rows from … to − 1 of this one's array */
  @Override
  public Tensor rows(int from, int to) {
    live("rows");
    int[] block = Operands.rows(this, from, to);
    int start = from * cols();
    int end = to * cols();
    return f != null ? new JvmTensor(block, Arrays.copyOfRange(f, start, end))
        : new JvmTensor(block, Arrays.copyOfRange(d, start, end));
  }

  /** Copies the source's array into rows from … of this one's. */
  @Override
  public Tensor setRowsi(int from, Tensor source) {
    live("setRowsi");
    JvmTensor s = Operands.operand("setRowsi", this, source, JvmTensor.class);
    s.live("setRowsi");
    Operands.setRows(this, from, s);
    if (f != null) {
      System.arraycopy(s.f, 0, f, from * cols(), s.f.length);
    } else {
      System.arraycopy(s.d, 0, d, from * cols(), s.d.length);
    }
    return this;
  }

  /** @return a copy, each element rounded to (or widened from) float */
  @Override
  public Tensor cast(Precision precision) {
    live("cast");
    return Objects.requireNonNull(precision, "cast: precision is null") == Precision.FLOAT32
        ? new JvmTensor(shape.clone(), toFloatArray())
        : new JvmTensor(shape.clone(), toDoubleArray());
  }

  /** @return α·op(this)·op(b) by the multi-threaded cache-blocked {@link Gemm} */
  @Override
  public Tensor matmul(Tensor other, boolean transposeThis, boolean transposeB, double alpha) {
    live("matmul");
    JvmTensor b = operand("matmul", other);
    int[] mnk = Operands.product(this, transposeThis, b, transposeB);
    int m = mnk[0];
    int n = mnk[1];
    int k = mnk[2];
    JvmTensor c = zeros("matmul", precision(), m, n);
    if (b == this && transposeThis != transposeB) { // op(this)·op(this)ᵀ is symmetric
      if (f != null) {
        Gemm.F32.gram(new Gemm.Operand<>(f, 0, cols(), transposeThis), c.f, m, k, alpha);
      } else {
        Gemm.F64.gram(new Gemm.Operand<>(d, 0, cols(), transposeThis), c.d, m, k, alpha);
      }
    } else if (f != null) {
      Gemm.F32.multiply(new Gemm.Operand<>(f, 0, cols(), transposeThis), new Gemm.Operand<>(b.f, 0, b.cols(), transposeB),
          c.f, 0, n, m, n, k, alpha);
    } else {
      Gemm.F64.multiply(new Gemm.Operand<>(d, 0, cols(), transposeThis), new Gemm.Operand<>(b.d, 0, b.cols(), transposeB),
          c.d, 0, n, m, n, k, alpha);
    }
    return c;
  }

  /** @return α·σ(this·wᵀ)·c by {@link Gemm#activatedProduct}: the activations stay in cache, a tile at a time */
  @Override
  public Tensor activatedProduct(Tensor other, Activation activation, Tensor c, double alpha) {
    String op = "activatedProduct";
    live(op);
    Objects.requireNonNull(activation, op + ": activation is null");
    JvmTensor w = operand(op, other);
    JvmTensor cm = operand(op, c);
    Operands.activated(op, this, w, cm, w.rows());
    JvmTensor out = zeros(op, precision(), rows(), cm.cols());
    if (f != null) {
      Gemm.F32.activatedProduct(f, w.f, cm.f, out.f, rows(), w.rows(), cols(), cm.cols(), activation, alpha);
    } else {
      Gemm.F64.activatedProduct(d, w.d, cm.d, out.d, rows(), w.rows(), cols(), cm.cols(), activation, alpha);
    }
    return out;
  }

  /** @return α·σ(Z)ᵀ·r and β·σ'(Z)ᵀ·s by {@link Gemm#activatedTransposedProducts}, Z = this·wᵀ never whole */
  @Override
  public Tensor[] activatedTransposedProducts(Tensor other, Activation activation, Tensor r, Tensor s, double alpha,
      double beta) {
    String op = "activatedTransposedProducts";
    live(op);
    Objects.requireNonNull(activation, op + ": activation is null");
    JvmTensor w = operand(op, other);
    JvmTensor rm = operand(op, r);
    JvmTensor sm = operand(op, s);
    Operands.activated(op, this, w, rm, rows());
    Operands.activated(op, this, w, sm, rows());
    int m = w.rows();
    JvmTensor g = zeros(op, precision(), m, rm.cols());
    JvmTensor h = zeros(op, precision(), m, sm.cols());
    if (f != null) {
      Gemm.F32.activatedTransposedProducts(f, w.f, rm.f, rm.cols(), sm.f, sm.cols(), g.f, h.f, rows(), m, cols(),
          activation, alpha, beta);
    } else {
      Gemm.F64.activatedTransposedProducts(d, w.d, rm.d, rm.cols(), sm.d, sm.cols(), g.d, h.d, rows(), m, cols(),
          activation, alpha, beta);
    }
    return new Tensor[] {g, h};
  }

  /** @return σ(this); see {@link Elementwise#activate(Activation, boolean, float[], float[], int, int)} */
  @Override
  public Tensor activate(Activation activation) {
    return activation("activate", activation, false);
  }

  /** @return σ'(this); see {@link Elementwise#activate(Activation, boolean, float[], float[], int, int)} */
  @Override
  public Tensor activateDerivative(Activation activation) {
    return activation("activateDerivative", activation, true);
  }

  private Tensor activation(String op, Activation activation, boolean derivative) {
    live(op);
    Objects.requireNonNull(activation, op + ": activation is null");
    JvmTensor out = like();
    Parallel.forRange(length(), GRAIN_ACTIVATION, (from, to) -> {
      if (f != null) {
        Elementwise.activate(activation, derivative, f, out.f, from, to);
      } else {
        Elementwise.activate(activation, derivative, d, out.d, from, to);
      }
    });
    return out;
  }

  /** @return √this */
  @Override
  public Tensor sqrt() {
    return map("sqrt", Fn.SQRT);
  }

  /** @return |this| */
  @Override
  public Tensor abs() {
    return map("abs", Fn.ABS);
  }

  /** @return fn(this) elementwise, in a new tensor */
  private Tensor map(String op, Fn fn) {
    live(op);
    JvmTensor out = like();
    Parallel.forRange(length(), GRAIN, (from, to) -> {
      if (f != null) {
        Elementwise32.map(fn, f, out.f, from, to);
      } else {
        Elementwise64.map(fn, d, out.d, from, to);
      }
    });
    return out;
  }

  /** @return this + o */
  @Override
  public Tensor add(Tensor o) {
    return zip("add", Op.ADD, o, like());
  }

  /** @return this − o */
  @Override
  public Tensor sub(Tensor o) {
    return zip("sub", Op.SUB, o, like());
  }

  /** @return this ⊙ o */
  @Override
  public Tensor mul(Tensor o) {
    return zip("mul", Op.MUL, o, like());
  }

  /** @return this ⊘ o */
  @Override
  public Tensor div(Tensor o) {
    return zip("div", Op.DIV, o, like());
  }

  /** this ← this + o; @return this */
  @Override
  public Tensor addi(Tensor o) {
    return zip("addi", Op.ADD, o, this);
  }

  /** this ← this ⊙ o; @return this */
  @Override
  public Tensor muli(Tensor o) {
    return zip("muli", Op.MUL, o, this);
  }

  /** this ← this ⊘ o; @return this */
  @Override
  public Tensor divi(Tensor o) {
    return zip("divi", Op.DIV, o, this);
  }

  /** out ← this op o, elementwise, for o of the same shape. */
  private JvmTensor zip(String op, Op kind, Tensor other, JvmTensor out) {
    live(op);
    JvmTensor o = sameShape(op, other);
    Parallel.forRange(length(), GRAIN, (from, to) -> {
      if (f != null) {
        Elementwise32.zip(kind, f, from, o.f, from, out.f, from, to - from);
      } else {
        Elementwise64.zip(kind, d, from, o.d, from, out.d, from, to - from);
      }
    });
    return out;
  }

  /** this ← this + α·x; @return this */
  @Override
  public Tensor axpyi(double alpha, Tensor other) {
    live("axpyi");
    JvmTensor x = sameShape("axpyi", other);
    Parallel.forRange(length(), GRAIN, (from, to) -> {
      if (f != null) {
        Elementwise32.axpy((float) alpha, x.f, f, from, to);
      } else {
        Elementwise64.axpy(alpha, x.d, d, from, to);
      }
    });
    return this;
  }

  /** @return s·this */
  @Override
  public Tensor scale(double s) {
    live("scale");
    return scaleInto(s, like());
  }

  /** this ← this + s·I; @return this */
  @Override
  public Tensor addDiagonali(double s) {
    live("addDiagonali");
    Operands.square("addDiagonali", this);
    int n = rows();
    for (int i = 0; i < n; i++) {
      if (f != null) {
        f[i * (n + 1)] += (float) s;
      } else {
        d[i * (n + 1)] += s;
      }
    }
    return this;
  }

  /** this ← s·this; @return this */
  @Override
  public Tensor scalei(double s) {
    live("scalei");
    return scaleInto(s, this);
  }

  private JvmTensor scaleInto(double s, JvmTensor out) {
    Parallel.forRange(length(), GRAIN, (from, to) -> {
      if (f != null) {
        Elementwise32.scale((float) s, f, from, out.f, from, to - from);
      } else {
        Elementwise64.scale(s, d, from, out.d, from, to - from);
      }
    });
    return out;
  }

  /** @return out[i][j] = this[i][j]·v[j] */
  @Override
  public Tensor mulRowVector(Tensor v) {
    return rowBroadcast("mulRowVector", Op.MUL, v);
  }

  /** @return out[i][j] = this[i][j] + v[j] */
  @Override
  public Tensor addRowVector(Tensor v) {
    return rowBroadcast("addRowVector", Op.ADD, v);
  }

  /** out row i = row i op v, row blocks in parallel. */
  private Tensor rowBroadcast(String op, Op kind, Tensor vector) {
    live(op);
    JvmTensor v = vector(op, vector, cols(), "columns");
    JvmTensor out = like();
    int c = cols();
    Parallel.forRange(rows(), rowGrain(), (r0, r1) -> {
      for (int i = r0; i < r1; i++) {
        if (f != null) {
          Elementwise32.zip(kind, f, i * c, v.f, 0, out.f, i * c, c);
        } else {
          Elementwise64.zip(kind, d, i * c, v.d, 0, out.d, i * c, c);
        }
      }
    });
    return out;
  }

  /** @return out[i][j] = this[i][j]·v[i] */
  @Override
  public Tensor mulColumnVector(Tensor vector) {
    live("mulColumnVector");
    JvmTensor v = vector("mulColumnVector", vector, rows(), "rows");
    JvmTensor out = like();
    int c = cols();
    Parallel.forRange(rows(), rowGrain(), (r0, r1) -> {
      for (int i = r0; i < r1; i++) {
        if (f != null) {
          Elementwise32.scale(v.f[i], f, i * c, out.f, i * c, c);
        } else {
          Elementwise64.scale(v.d[i], d, i * c, out.d, i * c, c);
        }
      }
    });
    return out;
  }

  /** @return Σ_i this[i][j], partial sums in double over at most 8 row chunks, added in chunk order */
  @Override
  public Tensor columnSums() {
    live("columnSums");
    int c = cols();
    double[] total = new double[c];
    for (Object part : Parallel.map(rows(), Math.max(rowGrain(), (rows() + 7) / 8), (r0, r1) -> {
      double[] acc = new double[c];
      for (int i = r0; i < r1; i++) {
        if (f != null) {
          Elementwise32.accumulate(f, i * c, acc);
        } else {
          Elementwise64.accumulate(d, i * c, acc);
        }
      }
      return acc;
    })) {
      Elementwise64.accumulate((double[]) part, 0, total);
    }
    return of("columnSums", precision(), total, c);
  }

  /** @return Σ_j this[i][j], each accumulated in double */
  @Override
  public Tensor rowSums() {
    live("rowSums");
    int c = cols();
    JvmTensor out = zeros("rowSums", precision(), rows());
    Parallel.forRange(rows(), rowGrain(), (r0, r1) -> {
      for (int i = r0; i < r1; i++) {
        if (f != null) {
          out.f[i] = (float) Elementwise32.sum(f, i * c, (i + 1) * c);
        } else {
          out.d[i] = Elementwise64.sum(d, i * c, (i + 1) * c);
        }
      }
    });
    return out;
  }

  /** @return Σ this, per-chunk sums in double added in chunk order */
  @Override
  public double sum() {
    live("sum");
    return Parallel.sum(length(), GRAIN, (from, to) -> f != null ? Elementwise32.sum(f, from, to) : Elementwise64.sum(d, from, to));
  }

  /** @return Σ this ⊙ o, per-chunk sums in double added in chunk order */
  @Override
  public double dot(Tensor other) {
    live("dot");
    JvmTensor o = operand("dot", other);
    Operands.sameSize("dot", this, o);
    return Parallel.sum(length(), GRAIN,
        (from, to) -> f != null ? Elementwise32.dot(f, o.f, from, to) : Elementwise64.dot(d, o.d, from, to));
  }

  /** @return whether no element is NaN or ±∞ */
  @Override
  public boolean allFinite() {
    live("allFinite");
    for (Object part : Parallel.map(length(), GRAIN,
        (from, to) -> f != null ? Elementwise32.allFinite(f, from, to) : Elementwise64.allFinite(d, from, to))) {
      if (!(Boolean) part) {
        return false;
      }
    }
    return true;
  }

  /** @return X with this·X = b, by the blocked {@link Cholesky} factorisation in double (lower triangle read) */
  @Override
  public Tensor choleskySolve(Tensor other) {
    live("choleskySolve");
    JvmTensor b = operand("choleskySolve", other);
    Operands.system("choleskySolve", this, b);
    double[] x = b.toDoubleArray();
    Cholesky.solve(toDoubleArray(), rows(), x, b.cols(), GRAIN_RHS);
    return of("choleskySolve", precision(), x, b.shape);
  }

  /** @return a copy of the elements, widened to double where needed */
  @Override
  public double[] toDoubleArray() {
    live("toDoubleArray");
    if (d != null) {
      return d.clone();
    }
    double[] x = new double[f.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = f[i];
    }
    return x;
  }

  /** @return a copy of the elements, rounded to float where needed */
  @Override
  public float[] toFloatArray() {
    live("toFloatArray");
    return f != null ? f.clone() : rounded(d);
  }

  /** @return each element of x rounded to float */
  private static float[] rounded(double[] x) {
    float[] y = new float[x.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) x[i];
    }
    return y;
  }

  /** @return element (i, j) */
  @Override
  public double get(int i, int j) {
    live("get");
    Operands.index(this, i, j);
    int idx = i * cols() + j;
    return f != null ? f[idx] : d[idx];
  }

  @Override
  public String toString() {
    return "JvmTensor[" + precision().id() + " " + Operands.shape(this) + "]";
  }

  /** @return a new tensor of this shape and precision with arbitrary contents, to be overwritten */
  private JvmTensor like() {
    return allocate("like", precision(), false, shape);
  }

  /** Rows per parallel chunk of a row-wise loop. */
  private int rowGrain() {
    return Math.max(1, GRAIN / Math.max(1, cols()));
  }

  /** @throws IllegalStateException naming {@code op} if this tensor was released */
  private void live(String op) {
    lifetime.check(op);
  }

  /** Ends the lifetime shared with reshape views, which hands the array back for reuse. */
  @Override
  public void release() {
    lifetime.end();
  }

  /** @return {@code other} as a live tensor of this backend and precision, else fails naming {@code op} */
  private JvmTensor operand(String op, Tensor other) {
    JvmTensor t = Operands.operand(op, this, other, JvmTensor.class);
    t.live(op);
    return t;
  }

  /** @return {@code other} as an operand with exactly this shape, else fails naming {@code op} */
  private JvmTensor sameShape(String op, Tensor other) {
    JvmTensor o = operand(op, other);
    Operands.sameShape(op, this, o);
    return o;
  }

  /** @return {@code other} as an operand of {@code length} elements, else fails naming {@code op} */
  private JvmTensor vector(String op, Tensor other, int length, String what) {
    JvmTensor v = operand(op, other);
    Operands.vector(op, this, v, length, what);
    return v;
  }
}
