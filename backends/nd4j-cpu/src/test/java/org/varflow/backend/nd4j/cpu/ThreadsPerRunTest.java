package org.varflow.backend.nd4j.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/**
 * A study's runs share the cores: {@code threadsPerRun(k)} limits OpenBLAS to k threads at once and 0 gives back
 * every processor. OpenBLAS's products change in their last bits with its thread count (measured: they do here), so
 * they are compared to rounding: within 1e-14 of the largest entry.
 */
class ThreadsPerRunTest {
  @Test
  void limitsTheBlasThreadsAndTheProductsAgreeToRounding() {
    Assumptions.assumeTrue(System.getenv("OMP_NUM_THREADS") == null, "OMP_NUM_THREADS fixes the threads");
    Nd4jCpuBackend backend = new Nd4jCpuBackend();
    TensorFactory tensors = backend.tensors();
    SplittableRandom random = new SplittableRandom(7);
    double[] x = random.doubles(700 * 300, -1, 1).toArray();
    double[] w = random.doubles(500 * 300, -1, 1).toArray();
    try {
      backend.threadsPerRun(1);
      assertThat(Nd4j.factory().blas().getMaxThreads()).isEqualTo(1);
      double[] one = products(tensors, x, w);
      backend.threadsPerRun(0);
      assertThat(Nd4j.factory().blas().getMaxThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
      double[] all = products(tensors, x, w);
      double largest = 0;
      double difference = 0;
      for (int i = 0; i < one.length; i++) {
        largest = Math.max(largest, Math.abs(one[i]));
        difference = Math.max(difference, Math.abs(all[i] - one[i]));
      }
      assertThat(difference).isLessThanOrEqualTo(1e-14 * largest);
    } finally {
      backend.threadsPerRun(0);
    }
  }

  /** @return Z = X Wᵀ and Zᵀ X, the two products of a particle step, flattened */
  private static double[] products(TensorFactory tensors, double[] x, double[] w) {
    Tensor xt = tensors.of(Precision.FLOAT64, x, 700, 300);
    Tensor wt = tensors.of(Precision.FLOAT64, w, 500, 300);
    Tensor z = xt.matmul(wt, false, true, 1.0);
    Tensor g = z.matmul(xt, true, false, 1.0);
    double[] out = new double[700 * 500 + 500 * 300];
    System.arraycopy(z.toDoubleArray(), 0, out, 0, 700 * 500);
    System.arraycopy(g.toDoubleArray(), 0, out, 700 * 500, 500 * 300);
    Tensor.releaseAll(xt, wt, z, g);
    return out;
  }
}
