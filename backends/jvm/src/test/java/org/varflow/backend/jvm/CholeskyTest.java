package org.varflow.backend.jvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/** choleskySolve: small residuals on random SPD systems, clear failures otherwise. */
class CholeskyTest {
  private final TensorFactory tensors = new JvmBackend().tensors();

  @ParameterizedTest(name = "{0} k={1} r={2}")
  @CsvSource({
    "FLOAT64, 1, 0", "FLOAT64, 5, 0", "FLOAT64, 97, 3", "FLOAT64, 200, 1", "FLOAT64, 700, 20",
    "FLOAT32, 5, 0", "FLOAT32, 150, 2", "FLOAT32, 600, 0",
  })
  void solvesRandomSpdSystems(Precision p, int k, int r) {
    double[] a = spd(k, k);
    Tensor matrix = tensors.of(p, a, k, k);
    Tensor b = r == 0 ? tensors.normal(p, 3, 0, 1, k) : tensors.normal(p, 3, 0, 1, k, r);

    Tensor x = matrix.choleskySolve(b);

    assertThat(x.shape()).containsExactly(b.shape());
    assertThat(x.precision()).isEqualTo(p);
    double residual = relativeResidual(matrix.toDoubleArray(), k, x.toDoubleArray(), b.toDoubleArray(), b.cols());
    assertThat(residual).isLessThanOrEqualTo(p == Precision.FLOAT64 ? 1e-13 : 1e-6);
  }

  @Test
  void readsOnlyTheLowerTriangle() {
    int k = 130;
    double[] a = spd(k, k);
    double[] upperGarbage = a.clone();
    for (int i = 0; i < k; i++) {
      for (int j = i + 1; j < k; j++) {
        upperGarbage[i * k + j] = Double.NaN;
      }
    }
    Tensor b = tensors.normal(Precision.FLOAT64, 4, 0, 1, k);

    Tensor x = tensors.of(Precision.FLOAT64, upperGarbage, k, k).choleskySolve(b);

    assertThat(relativeResidual(a, k, x.toDoubleArray(), b.toDoubleArray(), 1)).isLessThan(1e-13);
  }

  @Test
  void namesTheFailingPivot() {
    Tensor indefinite = tensors.of(Precision.FLOAT64, new double[] {1, 0, 0, 0, 2, 0, 0, 0, -3}, 3, 3);
    int k = 200;
    double[] late = spd(k, k);
    late[150 * k + 150] = -1e6;
    Tensor lateFailure = tensors.of(Precision.FLOAT32, late, k, k);

    assertThatThrownBy(() -> indefinite.choleskySolve(tensors.zeros(Precision.FLOAT64, 3)))
        .isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("not positive definite")
        .hasMessageContaining("pivot 2 ");
    assertThatThrownBy(() -> lateFailure.choleskySolve(tensors.zeros(Precision.FLOAT32, k)))
        .isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("pivot 150 ");
  }

  @Test
  void rejectsBadShapes() {
    Tensor square = tensors.zeros(Precision.FLOAT64, 3, 3);

    assertThatThrownBy(() -> tensors.zeros(Precision.FLOAT64, 3, 4).choleskySolve(tensors.zeros(Precision.FLOAT64, 3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("choleskySolve: the matrix is 3×4, not square");
    assertThatThrownBy(() -> square.choleskySolve(tensors.zeros(Precision.FLOAT64, 4, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("choleskySolve: right-hand side 4×2 does not match the 3 rows of the 3×3 matrix");
  }

  /** @return M·Mᵀ/n + I for a random k×n M: symmetric positive definite, condition number modest */
  static double[] spd(int k, int n) {
    SplittableRandom rng = new SplittableRandom(k);
    double[] m = rng.doubles((long) k * n, -1, 1).toArray();
    double[] a = GemmTest.naive(m, false, m, true, k, k, n, 1.0 / n);
    for (int i = 0; i < k; i++) {
      a[i * k + i] += 1;
    }
    return a;
  }

  /** @return ‖A·X − B‖ / (‖A‖·‖X‖ + ‖B‖) (Frobenius) */
  static double relativeResidual(double[] a, int k, double[] x, double[] b, int r) {
    double[] ax = GemmTest.naive(a, false, x, false, k, r, k, 1.0);
    double res = 0;
    for (int i = 0; i < ax.length; i++) {
      res += (ax[i] - b[i]) * (ax[i] - b[i]);
    }
    return Math.sqrt(res) / (norm(a) * norm(x) + norm(b));
  }

  private static double norm(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v * v;
    }
    return Math.sqrt(s);
  }
}
