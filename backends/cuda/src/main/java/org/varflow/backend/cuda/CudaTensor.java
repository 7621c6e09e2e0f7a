package org.varflow.backend.cuda;

import static org.bytedeco.cuda.global.cublas.CUBLAS_FILL_MODE_LOWER;
import static org.bytedeco.cuda.global.cublas.CUBLAS_FILL_MODE_UPPER;
import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_N;
import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_T;
import static org.bytedeco.cuda.global.cublas.cublasDgeam;
import static org.bytedeco.cuda.global.cublas.cublasDgemm_v2;
import static org.bytedeco.cuda.global.cublas.cublasDgemv_v2;
import static org.bytedeco.cuda.global.cublas.cublasSgeam;
import static org.bytedeco.cuda.global.cublas.cublasSgemm_v2;
import static org.bytedeco.cuda.global.cublas.cublasSgemv_v2;
import static org.bytedeco.cuda.global.cusolver.cusolverDnDpotrf;
import static org.bytedeco.cuda.global.cusolver.cusolverDnDpotrf_bufferSize;
import static org.bytedeco.cuda.global.cusolver.cusolverDnDpotrs;
import static org.bytedeco.cuda.global.cusolver.cusolverDnSpotrf;
import static org.bytedeco.cuda.global.cusolver.cusolverDnSpotrf_bufferSize;
import static org.bytedeco.cuda.global.cusolver.cusolverDnSpotrs;
import static org.varflow.backend.cuda.Device.checkBlas;
import static org.varflow.backend.cuda.Device.checkSolver;

import java.lang.ref.Cleaner;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Lifetime;
import org.varflow.backend.support.Operands;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/**
 * A {@link Tensor} in GPU memory: row-major elements in one device buffer. Products, row and column sums and solves
 * call cuBLAS and cuSOLVER on the column-major reading of the same buffer ({@link ColumnMajor}); everything else is
 * one {@link Kernels} launch.
 */
final class CudaTensor implements Tensor {
  /** Returns the buffers of tensors that became unreachable without {@link #release()} to the pool. */
  private static final Cleaner CLEANER = Cleaner.create();
  /** The triangle potrf and potrs read ({@link ColumnMajor#CHOLESKY_UPPER}). */
  private static final int UPPER = ColumnMajor.CHOLESKY_UPPER ? CUBLAS_FILL_MODE_UPPER : CUBLAS_FILL_MODE_LOWER;

  private final CudaTensorFactory factory;
  private final Precision precision;
  private final int[] shape;
  private final int rows;
  private final int cols;
  /** The device buffer, shared with reshape views. */
  private final Storage storage;
  /** Shared with reshape views; when it ends, the buffer goes back to the device's pool. */
  private final Lifetime lifetime;

  /** One device buffer; the Cleaner watches this object, which every view of the buffer references. */
  private record Storage(Pointer buffer) {}

  /** A new tensor on a new buffer with arbitrary contents. */
  CudaTensor(CudaTensorFactory factory, Precision precision, int... shape) {
    Device device = factory.device();
    long bytes = (long) Operands.count("allocate", shape) * precision.bytes();
    Pointer buffer = device.take(bytes);
    this.factory = factory;
    this.precision = precision;
    this.shape = shape.clone();
    this.rows = shape[0];
    this.cols = shape.length == 1 ? 1 : shape[1];
    this.storage = new Storage(buffer);
    Cleaner.Cleanable reclaim = CLEANER.register(storage, () -> device.give(bytes, buffer));
    this.lifetime = new Lifetime(reclaim::clean);
  }

  private CudaTensor(CudaTensor of, int[] shape) {
    this.factory = of.factory;
    this.precision = of.precision;
    this.shape = shape.clone();
    this.rows = shape[0];
    this.cols = shape.length == 1 ? 1 : shape[1];
    this.storage = of.storage;
    this.lifetime = of.lifetime;
  }

  /** @return the device buffer */
  Pointer buffer() {
    return storage.buffer();
  }

  private Device device() {
    return factory.device();
  }

  @Override
  public Precision precision() {
    return precision;
  }

  @Override
  public TensorFactory factory() {
    return factory;
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public int cols() {
    return cols;
  }

  private long bytes() {
    return size() * precision.bytes();
  }

  @Override
  public Tensor reshape(int... newShape) {
    lifetime.check("reshape");
    Operands.reshape(this, newShape);
    return new CudaTensor(this, newShape);
  }

  /** @return a new tensor of this shape and precision with arbitrary contents, to be overwritten */
  private CudaTensor like() {
    return new CudaTensor(factory, precision, shape);
  }

  @Override
  public Tensor copy() {
    lifetime.check("copy");
    CudaTensor out = like();
    launch("scale", size(), scaleArguments(size(), 1.0, buffer(), out.buffer()));
    return out;
  }

  /** @return a new tensor holding a device copy of the rows, which are contiguous in row-major order */
  @Override
  public Tensor rows(int from, int to) {
    lifetime.check("rows");
    CudaTensor out = new CudaTensor(factory, precision, Operands.rows(this, from, to));
    device().copy(out.buffer(), 0, buffer(), rowOffset(from), out.bytes());
    return out;
  }

  /** Copies the source's buffer into rows from … of this one's, on the device. */
  @Override
  public Tensor setRowsi(int from, Tensor source) {
    lifetime.check("setRowsi");
    CudaTensor s = Operands.operand("setRowsi", this, source, CudaTensor.class);
    s.lifetime.check("setRowsi");
    Operands.setRows(this, from, s);
    device().copy(buffer(), rowOffset(from), s.buffer(), 0, s.bytes());
    return this;
  }

  /** @return the byte offset of row {@code row} */
  private long rowOffset(int row) {
    return (long) row * cols() * precision.bytes();
  }

  @Override
  public Tensor cast(Precision to) {
    lifetime.check("cast");
    if (to == precision) {
      return copy();
    }
    CudaTensor out = new CudaTensor(factory, to, shape);
    device().launch(castKernel(to), Kernels.blocks(size()), castArguments(size(), buffer(), out.buffer()));
    return out;
  }

  /** One gemm on the column-major readings of the buffers ({@link ColumnMajor#product}). */
  @Override
  public Tensor matmul(Tensor other, boolean transposeThis, boolean transposeB, double alpha) {
    CudaTensor b = operand("matmul", other);
    int[] mnk = Operands.product(this, transposeThis, b, transposeB);
    CudaTensor c = new CudaTensor(factory, precision, mnk[0], mnk[1]);
    if (c.size() == 0) {
      return c;
    }
    if (mnk[2] == 0) {
      device().zero(c.buffer(), c.bytes());
      return c;
    }
    ColumnMajor.Gemm g = ColumnMajor.product(mnk[0], mnk[1], mnk[2], transposeThis, cols, transposeB, b.cols);
    int opA = g.transA() ? CUBLAS_OP_T : CUBLAS_OP_N;
    int opB = g.transB() ? CUBLAS_OP_T : CUBLAS_OP_N;
    device().bind();
    if (precision == Precision.FLOAT32) {
      try (FloatPointer one = new FloatPointer(1).put((float) alpha); FloatPointer zero = new FloatPointer(1).put(0f)) {
        checkBlas(cublasSgemm_v2(device().blas, opA, opB, g.m(), g.n(), g.k(), one, new FloatPointer(b.buffer()),
            g.lda(), new FloatPointer(buffer()), g.ldb(), zero, new FloatPointer(c.buffer()), g.ldc()), "cublasSgemm");
      }
    } else {
      try (DoublePointer one = new DoublePointer(1).put(alpha); DoublePointer zero = new DoublePointer(1).put(0.0)) {
        checkBlas(cublasDgemm_v2(device().blas, opA, opB, g.m(), g.n(), g.k(), one, new DoublePointer(b.buffer()),
            g.lda(), new DoublePointer(buffer()), g.ldb(), zero, new DoublePointer(c.buffer()), g.ldc()), "cublasDgemm");
      }
    }
    return c;
  }

  @Override
  public Tensor activate(Activation activation) {
    return activation("activate", activation, 0);
  }

  @Override
  public Tensor activateDerivative(Activation activation) {
    return activation("activateDerivative", activation, 1);
  }

  private Tensor activation(String op, Activation activation, int derivative) {
    lifetime.check(op);
    CudaTensor out = like();
    launch("activate", size(), activateArguments(activation, derivative, size(), buffer(), out.buffer()));
    return out;
  }

  @Override
  public Tensor sqrt() {
    return unary("sqrt", Kernels.SQRT);
  }

  @Override
  public Tensor abs() {
    return unary("abs", Kernels.ABS);
  }

  /** out = f(this) elementwise */
  private Tensor unary(String op, int code) {
    lifetime.check(op);
    CudaTensor out = like();
    launch("unary", size(), unaryArguments(code, size(), buffer(), out.buffer()));
    return out;
  }

  @Override
  public Tensor add(Tensor o) {
    return binary("add", Kernels.ADD, o, false);
  }

  @Override
  public Tensor sub(Tensor o) {
    return binary("sub", Kernels.SUB, o, false);
  }

  @Override
  public Tensor mul(Tensor o) {
    return binary("mul", Kernels.MUL, o, false);
  }

  @Override
  public Tensor div(Tensor o) {
    return binary("div", Kernels.DIV, o, false);
  }

  @Override
  public Tensor addi(Tensor o) {
    return binary("addi", Kernels.ADD, o, true);
  }

  @Override
  public Tensor muli(Tensor o) {
    return binary("muli", Kernels.MUL, o, true);
  }

  @Override
  public Tensor divi(Tensor o) {
    return binary("divi", Kernels.DIV, o, true);
  }

  /** out = this (op) o elementwise, out = this when in place */
  private Tensor binary(String op, int code, Tensor other, boolean inPlace) {
    CudaTensor o = operand(op, other);
    Operands.sameShape(op, this, o);
    CudaTensor out = inPlace ? this : like();
    launch("binary", size(), binaryArguments(code, size(), buffer(), o.buffer(), out.buffer()));
    return out;
  }

  /** y ← y + α·x */
  @Override
  public Tensor axpyi(double alpha, Tensor x) {
    CudaTensor o = operand("axpyi", x);
    Operands.sameShape("axpyi", this, o);
    launch("axpy", size(), axpyArguments(size(), alpha, o.buffer(), buffer()));
    return this;
  }

  @Override
  public Tensor scale(double s) {
    lifetime.check("scale");
    CudaTensor out = like();
    launch("scale", size(), scaleArguments(size(), s, buffer(), out.buffer()));
    return out;
  }

  @Override
  public Tensor scalei(double s) {
    lifetime.check("scalei");
    launch("scale", size(), scaleArguments(size(), s, buffer(), buffer()));
    return this;
  }

  /** A[i][i] ← A[i][i] + s */
  @Override
  public Tensor addDiagonali(double s) {
    lifetime.check("addDiagonali");
    Operands.square("addDiagonali", this);
    launch("add_diagonal", rows, addDiagonalArguments(rows, s, buffer()));
    return this;
  }

  @Override
  public Tensor mulRowVector(Tensor v) {
    return broadcast("mulRowVector", Kernels.MUL, 0, v, cols, "columns");
  }

  @Override
  public Tensor mulColumnVector(Tensor v) {
    return broadcast("mulColumnVector", Kernels.MUL, 1, v, rows, "rows");
  }

  @Override
  public Tensor addRowVector(Tensor v) {
    return broadcast("addRowVector", Kernels.ADD, 0, v, cols, "columns");
  }

  /** out[i][j] = this[i][j] (op) v[j] (axis 0) or v[i] (axis 1) */
  private Tensor broadcast(String op, int code, int axis, Tensor vector, int length, String what) {
    CudaTensor v = operand(op, vector);
    Operands.vector(op, this, v, length, what);
    CudaTensor out = like();
    launch("broadcast", size(), broadcastArguments(code, axis, rows, cols, buffer(), v.buffer(), out.buffer()));
    return out;
  }

  @Override
  public Tensor columnSums() {
    lifetime.check("columnSums");
    return sums(ColumnMajor.columnSums(rows, cols));
  }

  @Override
  public Tensor rowSums() {
    lifetime.check("rowSums");
    return sums(ColumnMajor.rowSums(rows, cols));
  }

  /** y = op(M)·1 by gemv, M the column-major reading of this buffer ({@link ColumnMajor}) */
  private Tensor sums(ColumnMajor.Gemv g) {
    CudaTensor out = new CudaTensor(factory, precision, g.yLength());
    if (g.xLength() == 0 || g.yLength() == 0) {
      device().zero(out.buffer(), out.bytes());
      return out;
    }
    CudaTensor one = new CudaTensor(factory, precision, g.xLength());
    launch("fill", g.xLength(), fillArguments(g.xLength(), 1.0, one.buffer()));
    int op = g.trans() ? CUBLAS_OP_T : CUBLAS_OP_N;
    device().bind();
    if (precision == Precision.FLOAT32) {
      try (FloatPointer alpha = new FloatPointer(1).put(1f); FloatPointer beta = new FloatPointer(1).put(0f)) {
        checkBlas(cublasSgemv_v2(device().blas, op, g.m(), g.n(), alpha, new FloatPointer(buffer()), g.lda(),
            new FloatPointer(one.buffer()), 1, beta, new FloatPointer(out.buffer()), 1), "cublasSgemv");
      }
    } else {
      try (DoublePointer alpha = new DoublePointer(1).put(1.0); DoublePointer beta = new DoublePointer(1).put(0.0)) {
        checkBlas(cublasDgemv_v2(device().blas, op, g.m(), g.n(), alpha, new DoublePointer(buffer()), g.lda(),
            new DoublePointer(one.buffer()), 1, beta, new DoublePointer(out.buffer()), 1), "cublasDgemv");
      }
    }
    one.release();
    return out;
  }

  @Override
  public double sum() {
    lifetime.check("sum");
    return device().sum(precision, size(), buffer(), null);
  }

  @Override
  public double dot(Tensor other) {
    CudaTensor o = operand("dot", other);
    Operands.sameSize("dot", this, o);
    return device().sum(precision, size(), buffer(), o.buffer());
  }

  @Override
  public boolean allFinite() {
    lifetime.check("allFinite");
    return device().allFinite(precision, size(), buffer());
  }

  /**
   * X = A⁻¹B by cuSOLVER: potrf factors a copy of A = LLᵀ reading the row-major lower triangle (the column-major
   * upper one), potrs solves on B in column-major order (B transposed in and out with geam when it has several
   * columns).
   */
  @Override
  public Tensor choleskySolve(Tensor rhs) {
    CudaTensor b = operand("choleskySolve", rhs);
    Operands.system("choleskySolve", this, b);
    int n = rows;
    int r = b.cols;
    if (n == 0 || r == 0) {
      return b.copy();
    }
    Device device = device();
    CudaTensor factor = (CudaTensor) copy();
    CudaTensor x = r == 1 ? (CudaTensor) b.copy() : b.transposed();
    Pointer devInfo = device.take(4);
    try (IntPointer info = new IntPointer(1); IntPointer work = new IntPointer(1)) {
      device.bind();
      IntPointer status = new IntPointer(devInfo);
      if (precision == Precision.FLOAT32) {
        FloatPointer a = new FloatPointer(factor.buffer());
        checkSolver(cusolverDnSpotrf_bufferSize(device.solver, UPPER, n, a, n, work), "cusolverDnSpotrf_bufferSize");
        Pointer workspace = device.take(4L * work.get());
        checkSolver(cusolverDnSpotrf(device.solver, UPPER, n, a, n, new FloatPointer(workspace), work.get(), status),
            "cusolverDnSpotrf");
        device.give(4L * work.get(), workspace);
      } else {
        DoublePointer a = new DoublePointer(factor.buffer());
        checkSolver(cusolverDnDpotrf_bufferSize(device.solver, UPPER, n, a, n, work), "cusolverDnDpotrf_bufferSize");
        Pointer workspace = device.take(8L * work.get());
        checkSolver(cusolverDnDpotrf(device.solver, UPPER, n, a, n, new DoublePointer(workspace), work.get(), status),
            "cusolverDnDpotrf");
        device.give(8L * work.get(), workspace);
      }
      device.download(info, devInfo, 4);
      if (info.get() != 0) {
        x.release();
        throw new ArithmeticException("choleskySolve: the " + n + "×" + n + " matrix is not positive definite"
            + " (cuSOLVER potrf: leading minor of order " + info.get() + ")");
      }
      if (precision == Precision.FLOAT32) {
        checkSolver(cusolverDnSpotrs(device.solver, UPPER, n, r, new FloatPointer(factor.buffer()), n,
            new FloatPointer(x.buffer()), n, status), "cusolverDnSpotrs");
      } else {
        checkSolver(cusolverDnDpotrs(device.solver, UPPER, n, r, new DoublePointer(factor.buffer()), n,
            new DoublePointer(x.buffer()), n, status), "cusolverDnDpotrs");
      }
    } finally {
      device.give(4, devInfo);
      factor.release();
    }
    if (r == 1) {
      return x;
    }
    CudaTensor out = x.transposed();
    x.release();
    return out;
  }

  /**
   * @return this matrix transposed (row-major cols×rows; equally, this matrix in column-major order), by geam
   *     ({@link ColumnMajor#transpose})
   */
  private CudaTensor transposed() {
    CudaTensor out = new CudaTensor(factory, precision, cols, rows);
    device().zero(out.buffer(), out.bytes()); // geam reads C as its B (times β = 0): no NaN from a reused buffer
    ColumnMajor.Geam g = ColumnMajor.transpose(rows, cols);
    int op = g.transA() ? CUBLAS_OP_T : CUBLAS_OP_N;
    if (precision == Precision.FLOAT32) {
      try (FloatPointer one = new FloatPointer(1).put(1f); FloatPointer zero = new FloatPointer(1).put(0f)) {
        FloatPointer c = new FloatPointer(out.buffer());
        checkBlas(cublasSgeam(device().blas, op, CUBLAS_OP_N, g.m(), g.n(), one, new FloatPointer(buffer()), g.lda(),
            zero, c, g.ldc(), c, g.ldc()), "cublasSgeam");
      }
    } else {
      try (DoublePointer one = new DoublePointer(1).put(1.0); DoublePointer zero = new DoublePointer(1).put(0.0)) {
        DoublePointer c = new DoublePointer(out.buffer());
        checkBlas(cublasDgeam(device().blas, op, CUBLAS_OP_N, g.m(), g.n(), one, new DoublePointer(buffer()), g.lda(),
            zero, c, g.ldc(), c, g.ldc()), "cublasDgeam");
      }
    }
    return out;
  }

  @Override
  public double[] toDoubleArray() {
    lifetime.check("toDoubleArray");
    if (precision == Precision.FLOAT32) {
      float[] f = toFloatArray();
      double[] d = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        d[i] = f[i];
      }
      return d;
    }
    double[] out = new double[Math.toIntExact(size())];
    try (DoublePointer host = new DoublePointer(Math.max(1, out.length))) {
      device().download(host, buffer(), bytes());
      host.get(out);
    }
    return out;
  }

  @Override
  public float[] toFloatArray() {
    lifetime.check("toFloatArray");
    if (precision == Precision.FLOAT64) {
      double[] d = toDoubleArray();
      float[] f = new float[d.length];
      for (int i = 0; i < d.length; i++) {
        f[i] = (float) d[i];
      }
      return f;
    }
    float[] out = new float[Math.toIntExact(size())];
    try (FloatPointer host = new FloatPointer(Math.max(1, out.length))) {
      device().download(host, buffer(), bytes());
      host.get(out);
    }
    return out;
  }

  @Override
  public double get(int i, int j) {
    lifetime.check("get");
    Operands.index(this, i, j);
    long offset = ((long) i * cols + j) * precision.bytes();
    Pointer element = new Pointer(buffer()) {
      {
        address += offset;
      }
    };
    if (precision == Precision.FLOAT32) {
      try (FloatPointer host = new FloatPointer(1)) {
        device().download(host, element, 4);
        return host.get();
      }
    }
    try (DoublePointer host = new DoublePointer(1)) {
      device().download(host, element, 8);
      return host.get();
    }
  }

  @Override
  public void release() {
    lifetime.end();
  }

  @Override
  public String toString() {
    return "CudaTensor[" + precision.id() + " " + Operands.shape(this) + "]";
  }

  /** @return {@code other} as a live operand of this backend and precision, after checking this tensor is live */
  private CudaTensor operand(String op, Tensor other) {
    lifetime.check(op);
    CudaTensor o = Operands.operand(op, this, other, CudaTensor.class);
    o.lifetime.check(op);
    return o;
  }

  /** Launches {@code kernel} in this precision on a grid covering n elements. */
  private void launch(String kernel, long n, Object[] args) {
    if (n > 0) {
      device().launch(Kernels.name(kernel, precision), Kernels.blocks(n), args);
    }
  }

  // The arguments of each launch, in the order of the kernel's parameters (Kernels.SOURCE), typed as
  // KernelArguments passes them; the buffers are device pointers here (the kernel emulation test passes its own).

  static Object[] unaryArguments(int code, long n, Object a, Object out) {
    return new Object[] {code, n, a, out};
  }

  static Object[] binaryArguments(int code, long n, Object a, Object b, Object out) {
    return new Object[] {code, n, a, b, out};
  }

  static Object[] axpyArguments(long n, double alpha, Object x, Object y) {
    return new Object[] {n, alpha, x, y};
  }

  static Object[] scaleArguments(long n, double s, Object a, Object out) {
    return new Object[] {n, s, a, out};
  }

  static Object[] activateArguments(Activation activation, int derivative, long n, Object a, Object out) {
    return new Object[] {activation.ordinal(), derivative, n, a, out};
  }

  static Object[] broadcastArguments(int code, int axis, int rows, int cols, Object a, Object v, Object out) {
    return new Object[] {code, axis, rows, cols, a, v, out};
  }

  static Object[] addDiagonalArguments(int k, double s, Object a) {
    return new Object[] {k, s, a};
  }

  static Object[] fillArguments(long n, double value, Object out) {
    return new Object[] {n, value, out};
  }

  static String castKernel(Precision to) {
    return to == Precision.FLOAT64 ? "cast_f32_f64" : "cast_f64_f32";
  }

  static Object[] castArguments(long n, Object a, Object out) {
    return new Object[] {n, a, out};
  }
}
