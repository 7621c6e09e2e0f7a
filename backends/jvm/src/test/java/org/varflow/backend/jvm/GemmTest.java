package org.varflow.backend.jvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/** The matrix product against a naive triple loop in double, for every transpose combination. */
class GemmTest {
  private final TensorFactory tensors = new JvmBackend().tensors();

  /**
   * m, n, k: tiny, odd, across kernel rows (3), k blocks (256), panels (512), the transposed path (narrow C)
   * and the matrix-vector paths, single and multi-threaded.
   */
  private static final int[][] SHAPES = {
    {1, 1, 1}, {7, 33, 1}, {1, 130, 7}, {33, 7, 257}, {130, 257, 33}, {257, 130, 130}, {257, 1, 257}, {1, 257, 257},
    {600, 3, 5}, {5, 600, 520}, {513, 515, 260}, {64, 1030, 3}, {2000, 1, 1500}, {1, 2000, 1500},
  };

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (Precision p : Precision.values()) {
      for (int[] s : SHAPES) {
        for (int t = 0; t < 4; t++) {
          out.add(Arguments.of(p, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1}×{3} · {3}×{2}, transposes {4} {5}")
  @MethodSource("cases")
  void matchesNaiveProduct(Precision p, int m, int n, int k, boolean ta, boolean tb) {
    long seed = 31L * m + 17L * n + k + (ta ? 1000 : 0) + (tb ? 2000 : 0);
    Tensor a = ta ? tensors.normal(p, seed, 0, 1, k, m) : tensors.normal(p, seed, 0, 1, m, k);
    Tensor b = tb ? tensors.normal(p, seed + 1, 0, 1, n, k) : tensors.normal(p, seed + 1, 0, 1, k, n);
    double alpha = -0.75;

    Tensor c = a.matmul(b, ta, tb, alpha);

    assertThat(c.shape()).containsExactly(m, n);
    assertThat(c.precision()).isEqualTo(p);
    double[] ref = naive(a.toDoubleArray(), ta, b.toDoubleArray(), tb, m, n, k, alpha);
    assertThat(relativeError(c.toDoubleArray(), ref)).isLessThanOrEqualTo(p == Precision.FLOAT64 ? 1e-12 : 1e-5);
  }

  @Test
  void rankOneOperandsActAsColumns() {
    Tensor a = tensors.normal(Precision.FLOAT64, 1, 0, 1, 5, 3);
    Tensor v = tensors.of(Precision.FLOAT64, new double[] {1, -2, 0.5}, 3);
    Tensor w = tensors.of(Precision.FLOAT64, new double[] {1, 2, 3, 4, 5}, 5);

    Tensor av = a.matmul(v, false, false, 1.0);
    Tensor wa = w.matmul(a, true, false, 2.0);

    assertThat(av.shape()).containsExactly(5, 1);
    assertThat(av.toDoubleArray()).containsExactly(naive(a.toDoubleArray(), false, v.toDoubleArray(), false, 5, 1, 3, 1.0),
        within(1e-14));
    assertThat(wa.shape()).containsExactly(1, 3);
    assertThat(wa.toDoubleArray()).containsExactly(naive(w.toDoubleArray(), true, a.toDoubleArray(), false, 1, 3, 5, 2.0),
        within(1e-13));
  }

  @Test
  void accumulatesIntoASubBlockAndLeavesTheRestAlone() {
    // C[2:2+m, 3:3+n] += α·A·Bᵀ inside a 40×50 array, as the Cholesky update uses it
    int m = 30, n = 41, k = 300;
    SplittableRandom rng = new SplittableRandom(5);
    double[] a = rng.doubles(m * k, -1, 1).toArray();
    double[] b = rng.doubles(n * k, -1, 1).toArray();
    double[] c = rng.doubles(40 * 50, -1, 1).toArray();
    double[] before = c.clone();

    Gemm.F64.multiply(new Gemm.Operand<>(a, 0, k, false), new Gemm.Operand<>(b, 0, k, true), c, 2 * 50 + 3, 50, m, n, k, 0.5);

    double[] prod = naive(a, false, b, true, m, n, k, 0.5);
    for (int i = 0; i < 40; i++) {
      for (int j = 0; j < 50; j++) {
        boolean inside = i >= 2 && i < 2 + m && j >= 3 && j < 3 + n;
        double expected = before[i * 50 + j] + (inside ? prod[(i - 2) * n + j - 3] : 0);
        assertThat(c[i * 50 + j]).as("C[%d][%d]", i, j).isCloseTo(expected, within(1e-12));
      }
    }
  }

  @Test
  void emptyDimensionsGiveZerosOrEmpty() {
    Tensor a = tensors.zeros(Precision.FLOAT32, 4, 0);
    Tensor b = tensors.zeros(Precision.FLOAT32, 0, 3);

    assertThat(a.matmul(b, false, false, 1).toFloatArray()).hasSize(12).containsOnly(0f);
    assertThat(b.matmul(a, true, true, 1).shape()).containsExactly(3, 4);
  }

  @Test
  void mismatchedShapesAreRejectedWithBothShapes() {
    Tensor a = tensors.zeros(Precision.FLOAT64, 3, 4);
    Tensor b = tensors.zeros(Precision.FLOAT64, 5, 2);

    assertThatThrownBy(() -> a.matmul(b, false, false, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("matmul: 3×4 · 5×2 shapes do not match (inner dimensions 4 and 5)");
    assertThatThrownBy(() -> a.matmul(b, true, true, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("matmul: 3×4ᵀ · 5×2ᵀ shapes do not match (inner dimensions 3 and 2)");
    assertThatThrownBy(() -> a.matmul(tensors.zeros(Precision.FLOAT32, 4, 2), false, false, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("matmul: precisions float64 and float32 do not match");
  }

  /** @return α·op(A)·op(B), m×n, by the definition */
  static double[] naive(double[] a, boolean ta, double[] b, boolean tb, int m, int n, int k, double alpha) {
    double[] c = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
        }
        c[i * n + j] = alpha * s;
      }
    }
    return c;
  }

  /** @return ‖x − ref‖ / ‖ref‖ (Frobenius), or ‖x‖ when ref is 0 */
  static double relativeError(double[] x, double[] ref) {
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < x.length; i++) {
      diff += (x[i] - ref[i]) * (x[i] - ref[i]);
      norm += ref[i] * ref[i];
    }
    return Math.sqrt(diff / (norm == 0 ? 1 : norm));
  }
}
