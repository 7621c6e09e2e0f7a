package org.varflow.backend.jvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/**
 * Creation, views, elementwise and broadcast operations, reductions and error messages. Sizes of 300×401
 * exercise the multi-threaded paths (several chunks), small ones the single-chunk paths.
 */
class JvmTensorTest {
  private final TensorFactory tensors = new JvmBackend().tensors();

  @Test
  void createsFromArraysRoundingToThePrecisionAndCopyingTheData() {
    double[] data = {0.1, -2, 3.5, 1e-3, 7, 8};
    float[] floats = {1, 2, 3};

    Tensor d = tensors.of(Precision.FLOAT64, data, 2, 3);
    Tensor f = tensors.of(Precision.FLOAT32, data, 6);
    Tensor g = tensors.of(floats, 3);
    data[0] = 99;
    floats[0] = 99;

    assertThat(d.shape()).containsExactly(2, 3);
    assertThat(d.rows()).isEqualTo(2);
    assertThat(d.cols()).isEqualTo(3);
    assertThat(d.size()).isEqualTo(6);
    assertThat(d.get(0, 0)).isEqualTo(0.1);
    assertThat(d.get(1, 2)).isEqualTo(8);
    assertThat(f.shape()).containsExactly(6);
    assertThat(f.cols()).isEqualTo(1);
    assertThat(f.precision()).isEqualTo(Precision.FLOAT32);
    assertThat(f.get(0, 0)).isEqualTo((double) 0.1f).isNotEqualTo(0.1);
    assertThat(g.toFloatArray()).containsExactly(1, 2, 3);
    assertThat(tensors.zeros(Precision.FLOAT64, 4, 0).size()).isZero();
  }

  @Test
  void randomFillsFollowTheSeed() {
    Tensor a = tensors.normal(Precision.FLOAT64, 42, 1, 2, 300, 401);
    Tensor b = tensors.normal(Precision.FLOAT64, 42, 1, 2, 300, 401);
    Tensor u = tensors.uniform(Precision.FLOAT32, 7, -1, 3, 1000);

    assertThat(a.toDoubleArray()).isEqualTo(b.toDoubleArray());
    assertThat(a.sum() / a.size()).isCloseTo(1, within(0.02));
    assertThat(Math.sqrt(a.squaredNorm() / a.size() - 1)).isCloseTo(2, within(0.02));
    double[] v = u.toDoubleArray();
    assertThat(Arrays.stream(v).min().orElseThrow()).isGreaterThanOrEqualTo(-1).isLessThan(-0.99);
    assertThat(Arrays.stream(v).max().orElseThrow()).isLessThan(3).isGreaterThan(2.99);
  }

  @Test
  void rejectsDataThatDoesNotFillTheShape() {
    assertThatThrownBy(() -> tensors.of(Precision.FLOAT64, new double[5], 2, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("of: 5 values do not fill shape [2, 3] (6 elements)");
    assertThatThrownBy(() -> tensors.zeros(Precision.FLOAT32, 2, 3, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("zeros: tensors have rank 1 or 2, got rank 3");
  }

  @Test
  void reshapeSharesStorageAndCopyDoesNot() {
    Tensor a = tensors.of(Precision.FLOAT32, new double[] {1, 2, 3, 4, 5, 6}, 2, 3);

    Tensor flat = a.reshape(6);
    Tensor copy = a.copy();
    flat.scalei(10);

    assertThat(flat.shape()).containsExactly(6);
    assertThat(a.toFloatArray()).containsExactly(10, 20, 30, 40, 50, 60);
    assertThat(copy.toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(a.reshape(3, 2).get(2, 1)).isEqualTo(60);
    assertThatThrownBy(() -> a.reshape(4, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reshape: cannot reshape 2×3 (6 elements) to [4, 2]");
  }

  @Test
  void castConvertsAndAlwaysCopies() {
    Tensor d = tensors.of(Precision.FLOAT64, new double[] {0.1, 1e300, -2}, 3);

    Tensor f = d.cast(Precision.FLOAT32);
    Tensor same = d.cast(Precision.FLOAT64);
    same.scalei(2);

    assertThat(f.precision()).isEqualTo(Precision.FLOAT32);
    assertThat(f.toFloatArray()).containsExactly(0.1f, Float.POSITIVE_INFINITY, -2f);
    assertThat(f.cast(Precision.FLOAT64).toDoubleArray()).containsExactly((double) 0.1f, Double.POSITIVE_INFINITY, -2);
    assertThat(d.toDoubleArray()).containsExactly(0.1, 1e300, -2);
    assertThat(same.toDoubleArray()).containsExactly(0.2, 2e300, -4);
  }

  @Test
  void arraysAndElementsAreCopiesWithBoundsChecks() {
    Tensor a = tensors.of(Precision.FLOAT64, new double[] {1, 2, 3, 4}, 2, 2);

    a.toDoubleArray()[0] = 100;
    a.toFloatArray()[0] = 100;

    assertThat(a.get(0, 0)).isEqualTo(1);
    assertThatThrownBy(() -> a.get(2, 0)).isInstanceOf(IndexOutOfBoundsException.class).hasMessage("get(2, 0) is outside 2×2");
    assertThatThrownBy(() -> a.reshape(4).get(1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @ParameterizedTest
  @EnumSource(Precision.class)
  void elementwiseOperationsMatchScalarLoops(Precision p) {
    Tensor a = tensors.normal(p, 1, 0, 1, 300, 401);
    Tensor b = tensors.normal(p, 2, 0, 1, 300, 401);
    double[] x = a.toDoubleArray();
    double[] y = b.toDoubleArray();

    assertElementwise(p, a.add(b), x, y, (u, v) -> u + v);
    assertElementwise(p, a.sub(b), x, y, (u, v) -> u - v);
    assertElementwise(p, a.mul(b), x, y, (u, v) -> u * v);
    assertElementwise(p, a.scale(-1.5), x, y, (u, v) -> -1.5 * u);
    assertElementwise(p, a.copy().axpyi(0.25, b), x, y, (u, v) -> u + 0.25 * v);
    assertElementwise(p, a.copy().addi(b), x, y, (u, v) -> u + v);
    assertElementwise(p, a.copy().muli(b), x, y, (u, v) -> u * v);
    assertElementwise(p, a.copy().scalei(3), x, y, (u, v) -> 3 * u);
    assertThat(a.toDoubleArray()).isEqualTo(x);
  }

  @Test
  void inPlaceOperationsReturnThis() {
    Tensor a = tensors.zeros(Precision.FLOAT32, 3);
    Tensor b = tensors.of(Precision.FLOAT32, new double[] {1, 2, 3}, 3);

    assertThat(a.addi(b)).isSameAs(a);
    assertThat(a.muli(b)).isSameAs(a);
    assertThat(a.axpyi(2, b)).isSameAs(a);
    assertThat(a.scalei(0.5)).isSameAs(a);
    assertThat(a.toFloatArray()).containsExactly(1.5f, 4f, 7.5f);
  }

  @Test
  void rankOneAndColumnAreDifferentShapesForElementwiseOps() {
    Tensor v = tensors.of(Precision.FLOAT64, new double[] {1, 2, 3}, 3);
    Tensor col = tensors.of(Precision.FLOAT64, new double[] {10, 20, 30}, 3, 1);

    assertThatThrownBy(() -> v.add(col)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("add: shapes [3] and 3×1 do not match");
    assertThat(v.add(col.reshape(3)).toDoubleArray()).containsExactly(11, 22, 33);
  }

  @Test
  void mismatchedOperandsAreRejectedWithClearMessages() {
    Tensor a = tensors.zeros(Precision.FLOAT64, 2, 3);

    assertThatThrownBy(() -> a.add(tensors.zeros(Precision.FLOAT64, 3, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("add: shapes 2×3 and 3×2 do not match");
    assertThatThrownBy(() -> a.axpyi(1, tensors.zeros(Precision.FLOAT64, 6)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("axpyi: shapes 2×3 and [6] do not match");
    assertThatThrownBy(() -> a.muli(tensors.zeros(Precision.FLOAT32, 2, 3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("muli: precisions float64 and float32 do not match");
    assertThatThrownBy(() -> a.dot(tensors.zeros(Precision.FLOAT64, 5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dot: sizes 6 (2×3) and 5 ([5]) differ");
    assertThatThrownBy(() -> a.mulRowVector(tensors.zeros(Precision.FLOAT64, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("mulRowVector: vector [2] has 2 elements, but 2×3 has 3 columns");
    assertThatThrownBy(() -> a.mulColumnVector(tensors.zeros(Precision.FLOAT64, 3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("mulColumnVector: vector [3] has 3 elements, but 2×3 has 2 rows");
    assertThatThrownBy(() -> a.add(foreignTensor()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("add: operand")
        .hasMessageContaining("another backend");
  }

  @ParameterizedTest
  @EnumSource(Precision.class)
  void broadcastOperationsMatchScalarLoops(Precision p) {
    int rows = 300;
    int cols = 401;
    Tensor a = tensors.normal(p, 3, 0, 1, rows, cols);
    Tensor row = tensors.normal(p, 4, 0, 1, cols);
    Tensor column = tensors.normal(p, 5, 0, 1, rows, 1);
    double[] x = a.toDoubleArray();
    double[] r = row.toDoubleArray();
    double[] c = column.toDoubleArray();

    double[] mulRow = a.mulRowVector(row).toDoubleArray();
    double[] addRow = a.addRowVector(row).toDoubleArray();
    double[] mulColumn = a.mulColumnVector(column).toDoubleArray();

    double tol = p == Precision.FLOAT64 ? 0 : 1e-6;
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        double u = x[i * cols + j];
        assertThat(mulRow[i * cols + j]).isCloseTo(u * r[j], within(tol * Math.abs(u * r[j])));
        assertThat(addRow[i * cols + j]).isCloseTo(u + r[j], within(tol * (Math.abs(u) + Math.abs(r[j]))));
        assertThat(mulColumn[i * cols + j]).isCloseTo(u * c[i], within(tol * Math.abs(u * c[i])));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Precision.class)
  void reductionsMatchDoubleLoops(Precision p) {
    int rows = 300;
    int cols = 401;
    Tensor a = tensors.normal(p, 6, 0.5, 1, rows, cols);
    Tensor b = tensors.normal(p, 7, 0, 1, rows, cols);
    double[] x = a.toDoubleArray();
    double[] y = b.toDoubleArray();
    double[] colSums = new double[cols];
    double[] rowSums = new double[rows];
    double sum = 0;
    double dot = 0;
    double sq = 0;
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        double u = x[i * cols + j];
        colSums[j] += u;
        rowSums[i] += u;
        sum += u;
        dot += u * y[i * cols + j];
        sq += u * u;
      }
    }

    Tensor cs = a.columnSums();
    Tensor rs = a.rowSums();

    double tol = p == Precision.FLOAT64 ? 1e-12 : 1e-6;
    assertThat(cs.shape()).containsExactly(cols);
    assertThat(rs.shape()).containsExactly(rows);
    assertThat(cs.precision()).isEqualTo(p);
    for (int j = 0; j < cols; j++) {
      assertThat(cs.get(j, 0)).isCloseTo(colSums[j], within(tol * rows));
    }
    for (int i = 0; i < rows; i++) {
      assertThat(rs.get(i, 0)).isCloseTo(rowSums[i], within(tol * cols));
    }
    assertThat(a.sum()).isCloseTo(sum, within(1e-9 * x.length));
    assertThat(a.dot(b)).isCloseTo(dot, within(1e-9 * x.length));
    assertThat(a.squaredNorm()).isCloseTo(sq, within(1e-9 * x.length));
  }

  @Test
  void float32ReductionsAccumulateInDouble() {
    // in float, 1e8 + 1 rounds back to 1e8 (ulp 8), so a float accumulator would return 0
    Tensor a = tensors.of(new float[] {1e8f, 1f, -1e8f}, 3);
    Tensor m = tensors.of(new float[] {1e8f, 1f, -1e8f}, 1, 3);

    assertThat(a.sum()).isEqualTo(1.0);
    assertThat(a.dot(tensors.of(new float[] {1, 1, 1}, 3))).isEqualTo(1.0);
    assertThat(m.rowSums().toFloatArray()).containsExactly(1f);
    assertThat(a.reshape(3, 1).columnSums().toFloatArray()).containsExactly(1f);
  }

  @ParameterizedTest
  @EnumSource(Precision.class)
  void allFiniteFindsNanAndInfinityAnywhere(Precision p) {
    int n = 300 * 401;
    assertThat(tensors.normal(p, 1, 0, 1, n).allFinite()).isTrue();
    for (int at : new int[] {0, n / 2, n - 1}) {
      for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
        double[] x = new double[n];
        x[at] = bad;
        assertThat(tensors.of(p, x, n).allFinite()).as("%s at %d", bad, at).isFalse();
      }
    }
  }

  private static void assertElementwise(Precision p, Tensor out, double[] x, double[] y, DoubleBinaryOperator op) {
    double[] got = out.toDoubleArray();
    assertThat(out.precision()).isEqualTo(p);
    for (int i = 0; i < x.length; i++) {
      double expected = op.applyAsDouble(x[i], y[i]);
      if (p == Precision.FLOAT32) {
        expected = (float) expected;
      }
      assertThat(got[i]).as("element %d", i).isCloseTo(expected, within(p == Precision.FLOAT64 ? 1e-15 : 2e-7 * (1 + Math.abs(expected))));
    }
  }

  /** A tensor of no backend: every method fails, except toString. */
  private static Tensor foreignTensor() {
    return (Tensor) Proxy.newProxyInstance(Tensor.class.getClassLoader(), new Class<?>[] {Tensor.class},
        (proxy, method, args) -> {
          if (method.getName().equals("toString")) {
            return "ForeignTensor";
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }
}
