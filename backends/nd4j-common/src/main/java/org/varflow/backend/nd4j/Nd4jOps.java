package org.varflow.backend.nd4j;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * {@link Nd4jKernels} through ND4J's own ops only, so they run wherever ND4J's active backend keeps its arrays
 * (the GPU for ND4J CUDA): gemm, a cast to float64 before each float32 reduction, the cholesky and triangular_solve
 * ops. Slower than direct BLAS calls on the CPU (each call goes through ND4J's argument checks), never used there
 * except to test this class.
 */
public final class Nd4jOps implements Nd4jKernels {
  /** The kernels; they hold no state. */
  public static final Nd4jOps INSTANCE = new Nd4jOps();

  private Nd4jOps() {}

  @Override
  public void gemm(INDArray a, boolean transA, INDArray b, boolean transB, INDArray c, int m, int n, int k,
      double alpha) {
    Nd4j.gemm(Nd4jTensor.matrix(a), Nd4jTensor.matrix(b), Nd4jTensor.matrix(c), transA, transB, alpha, 0.0);
  }

  /** c = α·op(a)·op(a)ᵀ as a gemm of a with itself. */
  @Override
  public void gram(INDArray a, boolean transA, INDArray c, int n, int k, double alpha) {
    gemm(a, transA, a, !transA, c, n, n, k, alpha);
  }

  /** a ← a + s·I by adding s times the identity in a's type. */
  @Override
  public void addDiagonal(INDArray a, int n, double s) {
    try (INDArray identity = Nd4j.eye(n).castTo(a.dataType())) {
      a.addi(identity.muli(s));
    }
  }

  @Override
  public double sum(INDArray x) {
    if (x.dataType() == DataType.DOUBLE) {
      return x.sumNumber().doubleValue();
    }
    try (INDArray wide = x.castTo(DataType.DOUBLE)) {
      return wide.sumNumber().doubleValue();
    }
  }

  @Override
  public double dot(INDArray x, INDArray y) {
    if (x.dataType() == DataType.DOUBLE) {
      return Nd4j.getBlasWrapper().dot(vector(x), vector(y));
    }
    try (INDArray wx = x.castTo(DataType.DOUBLE); INDArray wy = y.castTo(DataType.DOUBLE)) {
      return Nd4j.getBlasWrapper().dot(vector(wx), vector(wy));
    }
  }

  @Override
  public boolean allFinite(INDArray x) {
    return !BooleanIndexing.or(x, Conditions.isNan()) && !BooleanIndexing.or(x, Conditions.isInfinite());
  }

  /** a = LLᵀ by ND4J's cholesky, then L y = b and Lᵀ x = y by triangular_solve. */
  @Override
  public void choleskySolveInPlace(INDArray a, INDArray b, int n, int nrhs) {
    INDArray lower;
    try {
      lower = Nd4j.linalg().cholesky(a);
    } catch (RuntimeException e) {
      throw new ArithmeticException("choleskySolve: the " + n + "×" + n + " matrix is not positive definite ("
          + e.getMessage() + ")");
    }
    for (int i = 0; i < n; i++) {
      double pivot = lower.getDouble(i, i);
      if (!(pivot > 0) || Double.isInfinite(pivot)) {
        lower.close();
        throw new ArithmeticException("choleskySolve: the " + n + "×" + n + " matrix is not positive definite"
            + " (its leading minor of order " + (i + 1) + " is not positive)");
      }
    }
    INDArray rhs = Nd4jTensor.matrix(b);
    try (INDArray y = Nd4j.linalg().triangularSolve(lower, rhs, true, false);
        INDArray x = Nd4j.linalg().triangularSolve(lower, y, true, true)) {
      rhs.assign(x);
      a.assign(lower);
    } finally {
      lower.close();
    }
  }

  /** @return a view of all of a's elements as one vector */
  private static INDArray vector(INDArray a) {
    return a.rank() == 1 ? a : a.reshape('c', a.length());
  }
}
