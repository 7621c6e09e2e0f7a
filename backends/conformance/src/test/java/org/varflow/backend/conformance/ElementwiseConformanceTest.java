package org.varflow.backend.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.varflow.backend.conformance.Reference.assertClose;
import static org.varflow.backend.conformance.Reference.assertExactly;
import static org.varflow.backend.conformance.Reference.assertRelative;

import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/**
 * Shape handling, copies, conversions, activations and elementwise/broadcast arithmetic on every backend
 * and precision, against float64 loops over the tensors' own (rounded) elements.
 */
class ElementwiseConformanceTest {
  /** 1×1, columns, rows, a rank-1 vector and odd sizes. */
  static final List<int[]> SHAPES =
      List.of(new int[] {1, 1}, new int[] {1}, new int[] {7}, new int[] {4, 1}, new int[] {1, 5}, new int[] {37, 13});

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void reshapeKeepsRowMajorOrder(Target t) {
    Tensor m = t.gaussian(1, 3, 4);
    double[] x = m.toDoubleArray();
    assertExactly("reshape [12]", x, new int[] {12}, m.reshape(12));
    assertExactly("reshape 2×6", x, new int[] {2, 6}, m.reshape(2, 6));
    assertExactly("reshape 12×1", x, new int[] {12, 1}, m.reshape(12).reshape(12, 1));
    Tensor other = t.gaussian(2, 12);
    double[] y = other.toDoubleArray();
    double scale = Reference.dot(Reference.abs(x), Reference.abs(y));
    assertClose("reshaped view in dot", new double[] {Reference.dot(x, y)}, new double[] {m.reshape(2, 6).dot(other)},
        scale, t.accumulatedTol());
    assertClose("reshaped view in matmul", Reference.matmul(x, 6, 2, true, y, 6, 2, false, 1),
        m.reshape(6, 2).matmul(other.reshape(6, 2), true, false, 1).toDoubleArray(), scale, t.accumulatedTol());
    assertClose("reshaped view in sum", new double[] {Reference.sum(x)}, new double[] {m.reshape(12).sum()},
        Reference.sum(Reference.abs(x)), t.accumulatedTol());
    assertThrows(IllegalArgumentException.class, () -> m.reshape(5, 2), "element count differs");
    assertThrows(IllegalArgumentException.class, () -> m.reshape(2, 2, 3), "rank 3");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void copyIsIndependent(Target t) {
    Tensor m = t.gaussian(2, 37, 13);
    double[] x = m.toDoubleArray();
    Tensor c = m.copy();
    c.scalei(2);
    assertExactly("original after copy.scalei", x, new int[] {37, 13}, m);
    assertExactly("copy", Reference.map(x, v -> 2 * v), new int[] {37, 13}, c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void castRoundsAndAlwaysCopies(Target t) {
    Tensor m = t.gaussian(3, 5, 3);
    double[] x = m.toDoubleArray();
    Tensor f = m.cast(Precision.FLOAT32);
    assertEquals(Precision.FLOAT32, f.precision());
    assertExactly("cast to float32", Reference.map(x, v -> (float) v), new int[] {5, 3}, f);
    Tensor d = f.cast(Precision.FLOAT64);
    assertEquals(Precision.FLOAT64, d.precision());
    assertExactly("float32 → float64 is exact", f.toDoubleArray(), new int[] {5, 3}, d);
    Tensor same = m.cast(t.precision());
    same.scalei(0);
    assertExactly("cast to own precision is a copy", x, new int[] {5, 3}, m);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void elementAccess(Target t) {
    Tensor m = t.gaussian(4, 3, 4);
    double[] x = m.toDoubleArray();
    float[] asFloats = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      asFloats[i] = (float) x[i];
      assertEquals(x[i], m.get(i / 4, i % 4), "get(" + i / 4 + ", " + i % 4 + ")");
    }
    assertArrayEquals(asFloats, m.toFloatArray());
    Tensor v = t.gaussian(5, 6);
    assertEquals(v.toDoubleArray()[5], v.get(5, 0), "rank 1: get(i, 0)");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void activations(Target t) {
    double[] z = Reference.map(Target.gaussians(6, 37 * 13), v -> 3 * v);
    z[0] = 0;
    z[1] = -0.0;
    z[2] = 1e-300;
    z[3] = -1e-300;
    for (int[] shape : List.of(new int[] {37, 13}, new int[] {37 * 13}, new int[] {1, 1})) {
      Tensor in = t.of(Arrays.copyOf(z, shape[0] * (shape.length == 2 ? shape[1] : 1)), shape);
      double[] x = in.toDoubleArray();
      for (Activation a : Activation.values()) {
        String what = a.id() + " " + Arrays.toString(shape);
        Tensor s = in.activate(a);
        Tensor ds = in.activateDerivative(a);
        assertArrayEquals(shape, s.shape(), what);
        assertArrayEquals(shape, ds.shape(), what + "'");
        assertClose(what, Reference.map(x, a::value), s, t.elementwiseTol());
        assertClose(what + "'", Reference.map(x, a::derivative), ds, t.elementwiseTol());
      }
      assertExactly("operand unchanged", x, shape, in);
    }
  }

  /** ReLU' is 1 for z &gt; 0 and 0 otherwise, zero included (±0 compare equal). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void reluAndItsStepAtZero(Target t) {
    Tensor z = t.of(new double[] {-1, -0.0, 0, 1e-30, 2}, 5);
    double tiny = z.get(3, 0);
    assertClose("relu'", new double[] {0, 0, 0, 1, 1}, z.activateDerivative(Activation.RELU), 0);
    assertClose("relu", new double[] {0, 0, 0, tiny, 2}, z.activate(Activation.RELU), 0);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void binaryOpsReturnNewTensors(Target t) {
    for (int[] shape : SHAPES) {
      checkBinary(t, shape, "add", Tensor::add, Double::sum);
      checkBinary(t, shape, "sub", Tensor::sub, (x, y) -> x - y);
      checkBinary(t, shape, "mul", Tensor::mul, (x, y) -> x * y);
      checkBinary(t, shape, "scale", (a, b) -> a.scale(-0.75), (x, y) -> -0.75 * x);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void inPlaceOpsUpdateAndReturnThis(Target t) {
    for (int[] shape : SHAPES) {
      checkInPlace(t, shape, "addi", Tensor::addi, Double::sum);
      checkInPlace(t, shape, "muli", Tensor::muli, (x, y) -> x * y);
      checkInPlace(t, shape, "axpyi", (a, b) -> a.axpyi(-2.5, b), (x, y) -> x - 2.5 * y);
      checkInPlace(t, shape, "scalei", (a, b) -> a.scalei(3.25), (x, y) -> 3.25 * x);
    }
    Tensor a = t.gaussian(7, 4, 3);
    double[] x = a.toDoubleArray();
    a.addi(a);
    assertClose("a.addi(a)", Reference.map(x, v -> 2 * v), a, t.elementwiseTol());
  }

  /**
   * div, divi and sqrt within {@link Target#elementwiseTol} of each float64 reference element, relative to that
   * element (IEEE quotients and roots are correctly rounded), NaN for the root of a negative; abs exactly.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void quotientsRootsAndAbsoluteValues(Target t) {
    for (int[] shape : SHAPES) {
      Tensor a = t.gaussian(21, shape);
      Tensor b = t.gaussian(22, shape);
      double[] x = a.toDoubleArray();
      double[] y = b.toDoubleArray();
      double[] quotient = Reference.zip(x, y, (p, q) -> p / q);
      String s = " " + Arrays.toString(shape);
      assertShapeAndRelative("div" + s, shape, quotient, a.div(b), t);
      assertShapeAndRelative("sqrt" + s, shape, Reference.map(x, Math::sqrt), a.sqrt(), t);
      assertExactly("abs" + s, Reference.abs(x), shape, a.abs());
      assertExactly("div, sqrt, abs: this unchanged" + s, x, shape, a);
      assertSame(a, a.divi(b), "divi returns this" + s);
      assertShapeAndRelative("divi" + s, shape, quotient, a, t);
      assertExactly("div, divi: operand unchanged" + s, y, shape, b);
    }
    Tensor c = t.gaussian(23, 4, 3);
    double[] ones = new double[12];
    Arrays.fill(ones, 1);
    assertExactly("c.divi(c)", ones, new int[] {4, 3}, c.divi(c));
  }

  /** √−1 = NaN, √−0 = −0, √∞ = ∞; |−0| = 0; x/±0 = ±∞ by the signs, 0/0 = NaN; NaN stays NaN. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void quotientsRootsAndAbsoluteValuesOfSpecialValues(Target t) {
    double inf = Double.POSITIVE_INFINITY;
    double nan = Double.NaN;
    Tensor x = t.of(new double[] {-1, -0.0, 0, 4, inf, nan}, 2, 3);
    Tensor y = t.of(new double[] {0, 0, -0.0, -0.0, 2, 1}, 2, 3);
    int[] shape = {2, 3};
    assertExactly("sqrt", new double[] {nan, -0.0, 0, 2, inf, nan}, shape, x.sqrt());
    assertExactly("abs", new double[] {1, 0, 0, 4, inf, nan}, shape, x.abs());
    assertExactly("div", new double[] {-inf, nan, nan, -inf, inf, nan}, shape, x.div(y));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void broadcastOps(Target t) {
    for (int[] shape : SHAPES) {
      Tensor m = t.gaussian(8, shape);
      int r = m.rows();
      int c = m.cols();
      double[] x = m.toDoubleArray();
      Tensor row = t.gaussian(9, c);
      Tensor col = t.gaussian(10, r);
      double[] v = row.toDoubleArray();
      double[] w = col.toDoubleArray();
      String s = " " + Arrays.toString(shape);
      assertShapeAndClose("mulRowVector" + s, shape, Reference.rowwise(x, c, v, (p, q) -> p * q), m.mulRowVector(row), t);
      assertShapeAndClose("addRowVector" + s, shape, Reference.rowwise(x, c, v, Double::sum), m.addRowVector(row), t);
      assertShapeAndClose("mulColumnVector" + s, shape, Reference.mulColumns(x, c, w), m.mulColumnVector(col), t);
      assertShapeAndClose("mulRowVector by a 1×c matrix" + s, shape, Reference.rowwise(x, c, v, (p, q) -> p * q),
          m.mulRowVector(row.reshape(1, c)), t);
      assertExactly("operand unchanged" + s, x, shape, m);
      assertThrows(IllegalArgumentException.class, () -> m.mulRowVector(t.gaussian(11, c + 1)), "row length" + s);
      assertThrows(IllegalArgumentException.class, () -> m.addRowVector(t.gaussian(11, c + 1)), "row length" + s);
      assertThrows(IllegalArgumentException.class, () -> m.mulColumnVector(t.gaussian(11, r + 1)), "column length" + s);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void allFinite(Target t) {
    for (int[] shape : new int[][] {{1}, {37, 13}, {100_003}}) {
      double[] x = Target.gaussians(12, TensorFactory.count(shape));
      assertTrue(t.of(x, shape).allFinite(), "finite data " + Arrays.toString(shape));
      for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
        for (int at : new int[] {0, x.length / 2, x.length - 1}) {
          double[] y = x.clone();
          y[at] = bad;
          assertFalse(t.of(y, shape).allFinite(), bad + " at " + at + " of " + Arrays.toString(shape));
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void mismatchedShapesAreRejected(Target t) {
    Tensor m = t.gaussian(13, 3, 4);
    Tensor column = t.gaussian(13, 3, 1);
    // a rank-1 [3] is not the shape of a 3×1 column: elementwise ops reject it on every backend
    List<Tensor[]> pairs = List.of(new Tensor[] {m, t.gaussian(14, 4, 3)}, new Tensor[] {m, t.gaussian(14, 12)},
        new Tensor[] {m, t.gaussian(14, 3, 5)}, new Tensor[] {column, t.gaussian(14, 3)});
    for (Tensor[] pair : pairs) {
      Tensor a = pair[0];
      Tensor b = pair[1];
      String what = Arrays.toString(a.shape()) + " with " + Arrays.toString(b.shape());
      assertThrows(IllegalArgumentException.class, () -> a.add(b), "add " + what);
      assertThrows(IllegalArgumentException.class, () -> a.sub(b), "sub " + what);
      assertThrows(IllegalArgumentException.class, () -> a.mul(b), "mul " + what);
      assertThrows(IllegalArgumentException.class, () -> a.addi(b), "addi " + what);
      assertThrows(IllegalArgumentException.class, () -> a.muli(b), "muli " + what);
      assertThrows(IllegalArgumentException.class, () -> a.div(b), "div " + what);
      assertThrows(IllegalArgumentException.class, () -> a.divi(b), "divi " + what);
      assertThrows(IllegalArgumentException.class, () -> a.axpyi(1, b), "axpyi " + what);
    }
    assertEquals("div: shapes 3×4 and 4×3 do not match",
        assertThrows(IllegalArgumentException.class, () -> m.div(t.gaussian(14, 4, 3))).getMessage());
    assertEquals("divi: shapes 3×1 and [3] do not match",
        assertThrows(IllegalArgumentException.class, () -> column.divi(t.gaussian(14, 3))).getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void mixedPrecisionsAreRejected(Target t) {
    Tensor a = t.gaussian(15, 4, 4);
    Tensor b = a.cast(t.precision() == Precision.FLOAT64 ? Precision.FLOAT32 : Precision.FLOAT64);
    Tensor v = t.gaussian(16, 4).cast(b.precision());
    List<Runnable> ops = List.of(() -> a.add(b), () -> a.sub(b), () -> a.mul(b), () -> a.addi(b), () -> a.muli(b),
        () -> a.div(b), () -> a.divi(b), () -> a.axpyi(1, b), () -> a.matmul(b, false, false, 1), () -> a.dot(b),
        () -> a.choleskySolve(v), () -> a.mulRowVector(v), () -> a.mulColumnVector(v), () -> a.addRowVector(v));
    for (int i = 0; i < ops.size(); i++) {
      assertThrows(IllegalArgumentException.class, ops.get(i)::run, "operation #" + i);
    }
  }

  /** Checks {@code op(a, b)} against {@code f} elementwise, and that neither operand changed. */
  private static void checkBinary(Target t, int[] shape, String name, BiFunction<Tensor, Tensor, Tensor> op,
      DoubleBinaryOperator f) {
    Tensor a = t.gaussian(17, shape);
    Tensor b = t.gaussian(18, shape);
    double[] x = a.toDoubleArray();
    double[] y = b.toDoubleArray();
    String what = name + " " + Arrays.toString(shape);
    assertShapeAndClose(what, shape, Reference.zip(x, y, f), op.apply(a, b), t);
    assertExactly(what + ": this unchanged", x, shape, a);
    assertExactly(what + ": operand unchanged", y, shape, b);
  }

  /** Checks that {@code op(a, b)} returns {@code a}, updated to {@code f} elementwise, and leaves b alone. */
  private static void checkInPlace(Target t, int[] shape, String name, BiFunction<Tensor, Tensor, Tensor> op,
      DoubleBinaryOperator f) {
    Tensor a = t.gaussian(19, shape);
    Tensor b = t.gaussian(20, shape);
    double[] x = a.toDoubleArray();
    double[] y = b.toDoubleArray();
    String what = name + " " + Arrays.toString(shape);
    assertSame(a, op.apply(a, b), what + " returns this");
    assertShapeAndClose(what, shape, Reference.zip(x, y, f), a, t);
    assertExactly(what + ": operand unchanged", y, shape, b);
  }

  private static void assertShapeAndClose(String what, int[] shape, double[] expected, Tensor actual, Target t) {
    assertArrayEquals(shape, actual.shape(), what + ": shape");
    assertClose(what, expected, actual, t.elementwiseTol());
  }

  private static void assertShapeAndRelative(String what, int[] shape, double[] expected, Tensor actual, Target t) {
    assertArrayEquals(shape, actual.shape(), what + ": shape");
    assertRelative(what, expected, actual, t.elementwiseTol());
  }
}
