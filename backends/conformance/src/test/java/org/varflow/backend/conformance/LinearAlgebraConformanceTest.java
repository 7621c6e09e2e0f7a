package org.varflow.backend.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.varflow.backend.conformance.Reference.assertClose;
import static org.varflow.backend.conformance.Reference.assertExactly;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;

/**
 * Matrix products, reductions and the SPD solve on every backend and precision, against float64 loops.
 * Errors are relative to the magnitude of the terms (e.g. |A|·|B| for a product), which bounds the
 * rounding error of any summation order.
 */
class LinearAlgebraConformanceTest {
  /** m, k, n of op(A) (m×k) times op(B) (k×n). */
  private static final int[][] SIZES = {{1, 1, 1}, {37, 13, 5}, {5, 13, 37}, {64, 33, 17}, {1, 29, 1}, {29, 1, 23}};

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void matmulAllTransposes(Target t) {
    for (int[] s : SIZES) {
      for (int flags = 0; flags < 4; flags++) {
        boolean ta = (flags & 1) != 0;
        boolean tb = (flags & 2) != 0;
        int m = s[0];
        int k = s[1];
        int n = s[2];
        Tensor a = ta ? t.gaussian(21, k, m) : t.gaussian(21, m, k);
        Tensor b = tb ? t.gaussian(22, n, k) : t.gaussian(22, k, n);
        for (double alpha : new double[] {1.0, -0.37}) {
          String what = "matmul " + m + "×" + k + "×" + n + " ta=" + ta + " tb=" + tb + " alpha=" + alpha;
          checkMatmul(t, what, a, ta, b, tb, alpha);
        }
      }
    }
  }

  /** op(A)·op(A)ᵀ with the same tensor on both sides (a backend may use a symmetric rank-k update): full and symmetric. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void gramMatrices(Target t) {
    for (int[] s : SIZES) {
      Tensor a = t.gaussian(27, s[0], s[1]);
      for (double alpha : new double[] {1.0, -0.37}) {
        checkMatmul(t, "Aᵀ·A " + s[0] + "×" + s[1] + " alpha=" + alpha, a, true, false, alpha);
        checkMatmul(t, "A·Aᵀ " + s[0] + "×" + s[1] + " alpha=" + alpha, a, false, true, alpha);
      }
    }
  }

  /** A + s·I changes the diagonal only; a matrix that is not square is refused. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void addDiagonal(Target t) {
    for (int n : new int[] {1, 5, 37}) {
      Tensor a = t.gaussian(28, n, n);
      double[] expected = a.toDoubleArray();
      for (int i = 0; i < n; i++) {
        double sum = expected[i * n + i] + 0.75;
        expected[i * n + i] = t.precision() == Precision.FLOAT64 ? sum : (float) sum;
      }
      assertThat(a.addDiagonali(0.75)).isSameAs(a);
      assertExactly("A + 0.75 I, n = " + n, expected, new int[] {n, n}, a);
    }
    assertThrows(IllegalArgumentException.class, () -> t.gaussian(29, 3, 4).addDiagonali(1), "3×4");
    assertThrows(IllegalArgumentException.class, () -> t.gaussian(29, 3).addDiagonali(1), "rank 1");
  }

  /** Rank-1 operands act as columns: A·v, vᵀ·w (1×1) and v·wᵀ (outer product). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void matmulWithVectors(Target t) {
    Tensor a = t.gaussian(23, 37, 13);
    Tensor v = t.gaussian(24, 13);
    Tensor w = t.gaussian(25, 13);
    Tensor u = t.gaussian(26, 37);
    checkMatmul(t, "A·v", a, false, v, false, 1.0);
    checkMatmul(t, "Aᵀ·u", a, true, u, false, 2.0);
    checkMatmul(t, "vᵀ·w", v, true, w, false, 1.0);
    checkMatmul(t, "v·wᵀ", v, false, w, true, 0.5);
    checkMatmul(t, "uᵀ·A", u, true, a, false, 1.0);
    assertThrows(IllegalArgumentException.class, () -> a.matmul(u, false, false, 1), "inner dimension 13 vs 37");
    assertThrows(IllegalArgumentException.class, () -> a.matmul(a, false, false, 1), "37×13 · 37×13");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void columnAndRowSums(Target t) {
    for (int[] shape : ElementwiseConformanceTest.SHAPES) {
      Tensor m = t.gaussian(27, shape);
      double[] x = m.toDoubleArray();
      int c = m.cols();
      String s = " " + Arrays.toString(shape);
      Tensor cs = m.columnSums();
      Tensor rs = m.rowSums();
      assertArrayEquals(new int[] {c}, cs.shape(), "columnSums shape" + s);
      assertArrayEquals(new int[] {m.rows()}, rs.shape(), "rowSums shape" + s);
      assertClose("columnSums" + s, Reference.columnSums(x, c), cs.toDoubleArray(),
          Reference.maxAbs(Reference.columnSums(Reference.abs(x), c)), t.accumulatedTol());
      assertClose("rowSums" + s, Reference.rowSums(x, c), rs.toDoubleArray(),
          Reference.maxAbs(Reference.rowSums(Reference.abs(x), c)), t.accumulatedTol());
      assertExactly("operand unchanged" + s, x, shape, m);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void sumDotAndSquaredNorm(Target t) {
    for (int[] shape : new int[][] {{1}, {1, 1}, {37, 13}, {100_003}}) {
      Tensor a = t.gaussian(28, shape);
      Tensor b = t.gaussian(29, shape);
      double[] x = a.toDoubleArray();
      double[] y = b.toDoubleArray();
      String s = " " + Arrays.toString(shape);
      checkScalar(t, "sum" + s, Reference.sum(x), a.sum(), Reference.sum(Reference.abs(x)));
      checkScalar(t, "dot" + s, Reference.dot(x, y), a.dot(b), Reference.dot(Reference.abs(x), Reference.abs(y)));
      checkScalar(t, "squaredNorm" + s, Reference.dot(x, x), a.squaredNorm(), Reference.dot(x, x));
    }
    Tensor m = t.gaussian(30, 3, 4);
    Tensor flat = t.gaussian(31, 12);
    checkScalar(t, "dot of equal sizes, different shapes", Reference.dot(m.toDoubleArray(), flat.toDoubleArray()),
        m.dot(flat), Reference.dot(Reference.abs(m.toDoubleArray()), Reference.abs(flat.toDoubleArray())));
    assertThrows(IllegalArgumentException.class, () -> m.dot(t.gaussian(32, 13)), "sizes differ");
  }

  /** Float32 data is summed in float64: 2²⁴ + 1 + 1 − 2²⁴ is 2, not 0. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void reductionsAccumulateInFloat64(Target t) {
    double big = 1 << 24;
    Tensor x = t.of(new double[] {big, 1, 1, -big}, 4);
    assertEquals(2.0, x.sum(), "sum");
    assertEquals(2.0, x.dot(t.of(new double[] {1, 1, 1, 1}, 4)), "dot");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void choleskySolve(Target t) {
    for (int n : new int[] {1, 2, 37, 150}) {
      Tensor a = spd(t, n);
      double[] av = a.toDoubleArray();
      for (int[] rhsShape : new int[][] {{n}, {n, 1}, {n, 3}}) {
        Tensor b = t.gaussian(33, rhsShape);
        double[] bv = b.toDoubleArray();
        int r = b.cols();
        String what = "choleskySolve n=" + n + " b " + Arrays.toString(rhsShape);
        Tensor x = a.choleskySolve(b);
        assertArrayEquals(rhsShape, x.shape(), what + ": shape of b");
        assertClose(what, Reference.choleskySolve(av, n, bv, r), x.toDoubleArray(), t.accumulatedTol());
        assertExactly(what + ": matrix unchanged", av, new int[] {n, n}, a);
        assertExactly(what + ": right-hand side unchanged", bv, rhsShape, b);
      }
    }
    Tensor a = spd(t, 4);
    assertThrows(IllegalArgumentException.class, () -> a.choleskySolve(t.gaussian(34, 5)), "rows of b");
    assertThrows(IllegalArgumentException.class, () -> t.gaussian(35, 4, 3).choleskySolve(t.gaussian(34, 4)),
        "non-square");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void choleskySolveRejectsMatricesThatAreNotPositiveDefinite(Target t) {
    Tensor b = t.of(new double[] {1, 2}, 2);
    for (double[] a : new double[][] {{1, 2, 2, 1}, {-1, 0, 0, -1}, {0, 0, 0, 0}, {1, 0, 0, -1e-3}}) {
      assertThrows(ArithmeticException.class, () -> t.of(a, 2, 2).choleskySolve(b), Arrays.toString(a));
    }
    double[] indefinite = spd(t, 37).toDoubleArray();
    indefinite[20 * 37 + 20] = -1;
    assertThrows(ArithmeticException.class, () -> t.of(indefinite, 37, 37).choleskySolve(t.gaussian(36, 37)),
        "37×37 with a negative diagonal element");
  }

  /** Zero extents are legal: products over an empty inner dimension are 0, empty sums are 0. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void zeroSizeTensors(Target t) {
    Tensor tall = t.of(new double[0], 3, 0);
    Tensor wide = t.of(new double[0], 0, 3);
    assertExactly("Aᵀ·A over 0 rows", new double[9], new int[] {3, 3}, wide.matmul(wide, true, false, 1));
    assertExactly("A·Aᵀ over 0 columns", new double[9], new int[] {3, 3}, tall.matmul(tall, false, true, 1));
    assertExactly("0×3 · 3×0", new double[0], new int[] {0, 0}, wide.matmul(tall, false, false, 1));
    assertExactly("columnSums of 0×3", new double[3], new int[] {3}, wide.columnSums());
    assertExactly("rowSums of 3×0", new double[3], new int[] {3}, tall.rowSums());
    assertExactly("rowSums of 0×3", new double[0], new int[] {0}, wide.rowSums());
    assertExactly("add", new double[0], new int[] {0, 3}, wide.add(wide).addi(wide).scale(2).scalei(2));
    assertExactly("activate", new double[0], new int[] {3, 0}, tall.activate(Activation.TANH));
    assertExactly("mulRowVector", new double[0], new int[] {0, 3}, wide.mulRowVector(t.gaussian(1, 3)));
    assertEquals(0.0, wide.sum(), "sum");
    assertEquals(0.0, wide.dot(tall), "dot");
    assertTrue(wide.allFinite(), "allFinite");
    assertArrayEquals(new float[0], wide.toFloatArray(), "toFloatArray");
  }

  /** Checks the Gram matrix {@code alpha · op(a) · op(a)ᵀ}: the product with itself as the right operand. */
  private static void checkMatmul(Target t, String what, Tensor a, boolean ta, boolean tb, double alpha) {
    checkMatmul(t, what, a, ta, a, tb, alpha);
    Tensor c = a.matmul(a, ta, tb, alpha);
    int n = c.rows();
    double[] v = c.toDoubleArray();
    double scale = Reference.maxAbs(v);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        assertEquals(v[i * n + j], v[j * n + i], scale * t.accumulatedTol(), what + ": symmetric at " + i + "," + j);
      }
    }
    c.release();
  }

  /** Checks {@code alpha · op(a) · op(b)} against the reference, relative to |alpha|·|op(a)|·|op(b)|. */
  private static void checkMatmul(Target t, String what, Tensor a, boolean ta, Tensor b, boolean tb, double alpha) {
    double[] x = a.toDoubleArray();
    double[] y = b.toDoubleArray();
    int ar = a.rows();
    int ac = a.cols();
    int br = b.rows();
    int bc = b.cols();
    Tensor c = a.matmul(b, ta, tb, alpha);
    assertArrayEquals(new int[] {ta ? ac : ar, tb ? br : bc}, c.shape(), what + ": shape");
    double scale = Reference.maxAbs(
        Reference.matmul(Reference.abs(x), ar, ac, ta, Reference.abs(y), br, bc, tb, Math.abs(alpha)));
    assertClose(what, Reference.matmul(x, ar, ac, ta, y, br, bc, tb, alpha), c.toDoubleArray(), scale,
        t.accumulatedTol());
    assertExactly(what + ": left operand unchanged", x, a.shape(), a);
    assertExactly(what + ": right operand unchanged", y, b.shape(), b);
  }

  private static void checkScalar(Target t, String what, double expected, double actual, double scale) {
    assertClose(what, new double[] {expected}, new double[] {actual}, scale, t.accumulatedTol());
  }

  /** @return the well-conditioned SPD matrix GᵀG/n + I for a Gaussian n×n G */
  private static Tensor spd(Target t, int n) {
    Tensor g = t.gaussian(37, n, n);
    double[] gram = g.matmul(g, true, false, 1.0 / n).toDoubleArray();
    for (int i = 0; i < n; i++) {
      gram[i * n + i] += 1;
    }
    return t.of(gram, n, n);
  }
}
