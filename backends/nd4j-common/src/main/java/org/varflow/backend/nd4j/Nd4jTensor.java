package org.varflow.backend.nd4j;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.api.ops.impl.transforms.same.Abs;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Cos;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.SigmoidDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sin;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.api.ops.impl.transforms.strict.TanhDerivative;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Lifetime;
import org.varflow.backend.support.Operands;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/**
 * A {@link Tensor} backed by an ND4J {@link INDArray}; each operation is one (rarely two) native calls.
 *
 * <p>Invariant: {@link #array} is dense, C-ordered, of rank 1 or 2, in the data type of
 * {@link #precision}, and starts at its buffer's address. Fresh results and reshaped views of such
 * arrays keep it, so the array can be handed to BLAS and LAPACK as is.
 */
final class Nd4jTensor implements Tensor {
  private final Nd4jTensorFactory factory;
  private final INDArray array;
  private final Precision precision;
  private final int[] shape;
  private final int rows;
  private final int cols;
  /** Shared with reshape views; when it ends, the allocated array goes back to the {@link ArrayPool}. */
  private final Lifetime lifetime;

  /** @param array a new dense C-ordered array of rank 1 or 2 in the type of {@code precision}, owned by this tensor */
  Nd4jTensor(Nd4jTensorFactory factory, INDArray array, Precision precision) {
    this(factory, array, precision, new Lifetime(() -> ArrayPool.give(array)));
  }

  private Nd4jTensor(Nd4jTensorFactory factory, INDArray array, Precision precision, Lifetime lifetime) {
    this.factory = factory;
    this.array = array;
    this.precision = precision;
    this.lifetime = lifetime;
    long[] dims = array.shape();
    this.shape = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      shape[i] = Math.toIntExact(dims[i]);
    }
    this.rows = shape[0];
    this.cols = shape.length == 1 ? 1 : shape[1];
  }

  /** @return the ND4J data type holding {@code precision} */
  static DataType dataType(Precision precision) {
    return precision == Precision.FLOAT64 ? DataType.DOUBLE : DataType.FLOAT;
  }

  /** @return {@code shape} widened to ND4J's {@code long} extents */
  static long[] extents(int... shape) {
    return Arrays.stream(shape).asLongStream().toArray();
  }

  @Override
  public TensorFactory factory() {
    return factory;
  }

  @Override
  public Precision precision() {
    return precision;
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

  /** A view on the same storage, sharing its lifetime, when the element count matches. */
  @Override
  public Tensor reshape(int... newShape) {
    live("reshape");
    Operands.reshape(this, newShape);
    return new Nd4jTensor(factory, array.reshape('c', extents(newShape)), precision, lifetime);
  }

  @Override
  public Tensor copy() {
    live("copy");
    return wrap(array.dup('c'));
  }

  /** @return a pooled array holding a copy of the rows' view */
  @Override
  public Tensor rows(int from, int to) {
    live("rows");
    int[] block = Operands.rows(this, from, to);
    return wrap(ArrayPool.take(array.dataType(), extents(block)).assign(rowView(from, to)));
  }

  /** Assigns the source to the view of rows from … of this array. */
  @Override
  public Tensor setRowsi(int from, Tensor source) {
    Nd4jTensor s = operand(source, "setRowsi");
    Operands.setRows(this, from, s);
    rowView(from, from + s.rows).assign(s.array);
    return this;
  }

  /** @return the view of rows from … to − 1 of this array (entries of a rank-1 array) */
  private INDArray rowView(int from, int to) {
    return shape.length == 1 ? array.get(NDArrayIndex.interval(from, to))
        : array.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
  }

  @Override
  public Tensor cast(Precision target) {
    live("cast");
    return target == precision ? copy() : new Nd4jTensor(factory, array.castTo(dataType(target)), target);
  }

  /** One gemm writing into a fresh matrix, or a Gram product (syrk) when op(b) is op(this)ᵀ. */
  @Override
  public Tensor matmul(Tensor b, boolean transposeThis, boolean transposeB, double alpha) {
    Nd4jTensor other = operand(b, "matmul");
    int[] mnk = Operands.product(this, transposeThis, other, transposeB);
    INDArray out = ArrayPool.take(array.dataType(), new long[] {mnk[0], mnk[1]});
    if (other.array == array && transposeThis != transposeB) {
      kernels().gram(array, transposeThis, out, mnk[0], mnk[2], alpha); // op(this)·op(this)ᵀ is symmetric
    } else {
      kernels().gemm(array, transposeThis, other.array, transposeB, out, mnk[0], mnk[1], mnk[2], alpha);
    }
    return wrap(out);
  }

  /** α·σ(this·wᵀ)·c by the kernels when they fuse it (the CPU backend), else over blocks of activations. */
  @Override
  public Tensor activatedProduct(Tensor w, Activation activation, Tensor c, double alpha) {
    String op = "activatedProduct";
    Nd4jTensor weights = operand(w, op);
    Nd4jTensor cm = operand(c, op);
    Operands.activated(op, this, weights, cm, weights.rows());
    INDArray out = ArrayPool.take(array.dataType(), new long[] {rows(), cm.cols()});
    if (kernels().activatedProduct(array, weights.array, cm.array, activation, alpha, out)) {
      return wrap(out);
    }
    ArrayPool.give(out);
    return Tensor.super.activatedProduct(w, activation, c, alpha);
  }

  /** α·σ(Z)ᵀ·r and β·σ'(Z)ᵀ·s by the kernels when they fuse them (the CPU backend), else over blocks. */
  @Override
  public Tensor[] activatedTransposedProducts(Tensor w, Activation activation, Tensor r, Tensor s, double alpha,
      double beta) {
    String op = "activatedTransposedProducts";
    Nd4jTensor weights = operand(w, op);
    Nd4jTensor rm = operand(r, op);
    Nd4jTensor sm = operand(s, op);
    Operands.activated(op, this, weights, rm, rows());
    Operands.activated(op, this, weights, sm, rows());
    INDArray g = ArrayPool.take(array.dataType(), new long[] {weights.rows(), rm.cols()});
    INDArray h = ArrayPool.take(array.dataType(), new long[] {weights.rows(), sm.cols()});
    if (kernels().activatedTransposedProducts(array, weights.array, rm.array, sm.array, activation, alpha, beta, g, h)) {
      return new Tensor[] {wrap(g), wrap(h)};
    }
    ArrayPool.give(g);
    ArrayPool.give(h);
    return Tensor.super.activatedTransposedProducts(w, activation, r, s, alpha, beta);
  }

  @Override
  public Tensor activate(Activation activation) {
    live("activate");
    return map(switch (activation) {
      case RELU -> (x, z) -> new RectifiedLinear(x, z, 0.0);
      case TANH -> Tanh::new;
      case SIGMOID -> Sigmoid::new;
      case SIN -> Sin::new;
    });
  }

  /**
   * ReLU' is the step x &gt; 0 ? 1 : 0; tanh' = 1 − tanh²; sigmoid' = s(1 − s); sin' = cos. The tanh and
   * sigmoid derivative transforms are deprecated in ND4J in favour of back-propagation ops that need an
   * extra gradient array; these are still single native calls.
   */
  @Override
  @SuppressWarnings("deprecation")
  public Tensor activateDerivative(Activation activation) {
    live("activateDerivative");
    return map(switch (activation) {
      case RELU -> (x, z) -> new Step(x, z, 0.0);
      case TANH -> TanhDerivative::new;
      case SIGMOID -> SigmoidDerivative::new;
      case SIN -> Cos::new;
    });
  }

  @Override
  public Tensor sqrt() {
    live("sqrt");
    return map(Sqrt::new);
  }

  @Override
  public Tensor abs() {
    live("abs");
    return map(Abs::new);
  }

  @Override
  public Tensor add(Tensor o) {
    return combine(sameShape(o, "add").array, AddOp::new);
  }

  @Override
  public Tensor sub(Tensor o) {
    return combine(sameShape(o, "sub").array, SubOp::new);
  }

  @Override
  public Tensor mul(Tensor o) {
    return combine(sameShape(o, "mul").array, MulOp::new);
  }

  @Override
  public Tensor div(Tensor o) {
    return combine(sameShape(o, "div").array, DivOp::new);
  }

  @Override
  public Tensor addi(Tensor o) {
    Nd4j.exec(new AddOp(array, sameShape(o, "addi").array, array));
    return this;
  }

  @Override
  public Tensor muli(Tensor o) {
    Nd4j.exec(new MulOp(array, sameShape(o, "muli").array, array));
    return this;
  }

  @Override
  public Tensor divi(Tensor o) {
    Nd4j.exec(new DivOp(array, sameShape(o, "divi").array, array));
    return this;
  }

  /** One BLAS axpy. */
  @Override
  public Tensor axpyi(double alpha, Tensor x) {
    Nd4j.getBlasWrapper().level1().axpy(array.length(), alpha, sameShape(x, "axpyi").array, array);
    return this;
  }

  @Override
  public Tensor scale(double s) {
    live("scale");
    return map((x, z) -> new ScalarMultiplication(x, null, z, s));
  }

  @Override
  public Tensor addDiagonali(double s) {
    live("addDiagonali");
    Operands.square("addDiagonali", this);
    kernels().addDiagonal(array, rows, s);
    return this;
  }

  @Override
  public Tensor scalei(double s) {
    live("scalei");
    Nd4j.getExecutioner().exec(new ScalarMultiplication(array, s));
    return this;
  }

  @Override
  public Tensor mulRowVector(Tensor v) {
    return combine(vector("mulRowVector", v, true), MulOp::new);
  }

  @Override
  public Tensor mulColumnVector(Tensor v) {
    return combine(vector("mulColumnVector", v, false), MulOp::new);
  }

  @Override
  public Tensor addRowVector(Tensor v) {
    return combine(vector("addRowVector", v, true), AddOp::new);
  }

  @Override
  public Tensor columnSums() {
    live("columnSums");
    return wrap(matrix(array).sum(0));
  }

  @Override
  public Tensor rowSums() {
    live("rowSums");
    return wrap(matrix(array).sum(1));
  }

  @Override
  public double sum() {
    live("sum");
    return kernels().sum(array);
  }

  @Override
  public double dot(Tensor o) {
    Nd4jTensor other = operand(o, "dot");
    Operands.sameSize("dot", this, other);
    return kernels().dot(array, other.array);
  }

  @Override
  public boolean allFinite() {
    live("allFinite");
    return kernels().allFinite(array);
  }

  /** The kernels' Cholesky solve on copies of this and b. */
  @Override
  public Tensor choleskySolve(Tensor b) {
    Nd4jTensor rhs = operand(b, "choleskySolve");
    Operands.system("choleskySolve", this, rhs);
    INDArray factor = ArrayPool.take(array.dataType(), array.shape()).assign(array);
    INDArray x = ArrayPool.take(rhs.array.dataType(), rhs.array.shape()).assign(rhs.array);
    try {
      kernels().choleskySolveInPlace(factor, x, rows, rhs.cols);
    } catch (RuntimeException e) {
      ArrayPool.give(x);
      throw e;
    } finally {
      ArrayPool.give(factor);
    }
    return wrap(x);
  }

  @Override
  public double[] toDoubleArray() {
    live("toDoubleArray");
    return array.data().asDouble();
  }

  @Override
  public float[] toFloatArray() {
    live("toFloatArray");
    return array.data().asFloat();
  }

  @Override
  public double get(int i, int j) {
    live("get");
    Operands.index(this, i, j);
    return shape.length == 1 ? array.getDouble(i) : array.getDouble(i, j);
  }

  /** @return a tensor of this precision around a result array */
  private Nd4jTensor wrap(INDArray result) {
    return new Nd4jTensor(factory, result, precision);
  }

  /** @return {@code a} itself when rank 2, else a k×1 column view of it */
  static INDArray matrix(INDArray a) {
    return a.rank() == 2 ? a : a.reshape('c', new long[] {a.length(), 1});
  }

  /** @return the result of the elementwise ND4J op {@code op(this, z)} written into a fresh array z */
  private Tensor map(TransformFactory op) {
    INDArray out = uninitialized();
    Nd4j.getExecutioner().exec(op.make(array, out));
    return wrap(out);
  }

  /** @return x ∘ y written into a fresh array, ∘ being the (broadcasting) ND4J op {@code op(x, y, z)} */
  private Tensor combine(INDArray y, PairFactory op) {
    INDArray out = uninitialized();
    Nd4j.exec(op.make(array, y, out));
    return wrap(out);
  }

  /** @return a fresh array of this shape and type, to be overwritten */
  private INDArray uninitialized() {
    return ArrayPool.take(array.dataType(), array.shape());
  }

  /**
   * @param row whether v runs along a row (length cols) or down a column (length rows)
   * @return v viewed so that ND4J broadcasts it against this as intended: [cols] for a row, [rows, 1] for
   *     a column of a matrix, [rows] for a column of a rank-1 tensor
   */
  private INDArray vector(String name, Tensor v, boolean row) {
    Nd4jTensor t = operand(v, name);
    int length = row ? cols : rows;
    Operands.vector(name, this, t, length, row ? "columns" : "rows");
    int[] view = row || shape.length == 1 ? new int[] {length} : new int[] {length, 1};
    return Arrays.equals(t.shape, view) ? t.array : t.array.reshape('c', extents(view));
  }

  /** @throws IllegalStateException naming {@code op} if this tensor was released */
  private void live(String op) {
    lifetime.check(op);
  }

  /** @return {@code o} as a live tensor of this backend and precision, after checking this tensor is live */
  private Nd4jTensor operand(Tensor o, String name) {
    live(name);
    Nd4jTensor t = Operands.operand(name, this, o, Nd4jTensor.class);
    t.live(name);
    return t;
  }

  /** @return {@code o} as a tensor of this backend, precision and shape */
  private Nd4jTensor sameShape(Tensor o, String name) {
    Nd4jTensor t = operand(o, name);
    Operands.sameShape(name, this, t);
    return t;
  }

  private Nd4jKernels kernels() {
    return factory.kernels();
  }

  /** Makes an elementwise ND4J op reading x and writing z. */
  @FunctionalInterface
  private interface TransformFactory {
    Op make(INDArray x, INDArray z);
  }

  /** Makes a (broadcasting) ND4J op combining x with y into z. */
  @FunctionalInterface
  private interface PairFactory {
    CustomOp make(INDArray x, INDArray y, INDArray z);
  }

  /** Ends the lifetime shared with reshape views, which hands the allocated array back for reuse. */
  @Override
  public void release() {
    lifetime.end();
  }
}
