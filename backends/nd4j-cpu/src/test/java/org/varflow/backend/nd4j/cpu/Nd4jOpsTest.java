package org.varflow.backend.nd4j.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.varflow.api.tensor.Precision;
import org.varflow.backend.support.SelfCheck;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;
import org.varflow.backend.nd4j.Nd4jOps;
import org.varflow.backend.nd4j.Nd4jTensorFactory;

/**
 * The ND4J-ops kernels that the ND4J CUDA backend uses, run here on ND4J's CPU backend: they reproduce the
 * self-check's known answers (all four gemm transposes, Gram products, Cholesky solves, dot products and sums in
 * both precisions) and agree with the OpenBLAS kernels on the rest.
 */
class Nd4jOpsTest {
  private static TensorFactory ops;
  private static TensorFactory blas;

  @BeforeAll
  static void initialise() {
    blas = new Nd4jCpuBackend().tensors(); // initialises ND4J
    ops = new Nd4jTensorFactory(Nd4jOps.INSTANCE);
  }

  @Test
  void reproducesTheKnownAnswersInBothPrecisions() {
    assertThat(SelfCheck.verify(ops)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Precision.class)
  void findsNonFiniteElements(Precision p) {
    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      Tensor t = ops.of(p, new double[] {1, 2, bad, 4, 5, 6}, 2, 3);
      assertThat(t.allFinite()).as("%s", bad).isFalse();
      t.release();
    }
    Tensor fine = ops.of(p, new double[] {1e30, -2, 0, 4}, 4);
    assertThat(fine.allFinite()).isTrue();
    fine.release();
  }

  @ParameterizedTest
  @EnumSource(Precision.class)
  void addsToTheDiagonalAsOpenBlasDoes(Precision p) {
    double[] data = new double[49];
    for (int i = 0; i < data.length; i++) {
      data[i] = Math.sin(i);
    }
    Tensor a = ops.of(p, data, 7, 7).addDiagonali(0.375);
    Tensor b = blas.of(p, data, 7, 7).addDiagonali(0.375);
    assertThat(a.toDoubleArray()).containsExactly(b.toDoubleArray());
    Tensor.releaseAll(a, b);
  }

  @ParameterizedTest
  @EnumSource(Precision.class)
  void refusesAMatrixThatIsNotPositiveDefinite(Precision p) {
    Tensor a = ops.of(p, new double[] {4, 2, 0, 2, 1, 0, 0, 0, 3}, 3, 3); // singular leading 2×2 block
    Tensor b = ops.of(p, new double[] {1, 1, 1}, 3);
    assertThatThrownBy(() -> a.choleskySolve(b)).isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("not positive definite");
    Tensor.releaseAll(a, b);
  }
}
