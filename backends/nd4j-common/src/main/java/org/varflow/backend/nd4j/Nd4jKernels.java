package org.varflow.backend.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.varflow.api.tensor.Activation;

/**
 * The products, reductions and solves of an ND4J backend, where the CPU backend calls its BLAS and LAPACK directly
 * and a GPU backend goes through ND4J's own ops ({@link Nd4jOps}). Every array passed here is dense, C-ordered,
 * of rank 1 or 2 and starts at its buffer's address; a rank-1 array of length k is a k×1 matrix.
 */
public interface Nd4jKernels {

  /** c ← α·op(a)·op(b), overwriting the m×n matrix c without reading it; k is the inner dimension. */
  void gemm(INDArray a, boolean transA, INDArray b, boolean transB, INDArray c, int m, int n, int k, double alpha);

  /**
   * out (n×q, overwritten) ← α·σ(x wᵀ)·c for x n×p, w m×p, c m×q, without forming the n×m activations.
   *
   * @return whether these kernels did it; false (the default) leaves it to the tensor, which forms the activations
   *     in blocks
   */
  default boolean activatedProduct(INDArray x, INDArray w, INDArray c, Activation activation, double alpha,
      INDArray out) {
    return false;
  }

  /**
   * g (m×q₁) ← α·σ(Z)ᵀ·r and h (m×q₂) ← β·σ'(Z)ᵀ·s (both overwritten) at Z = x wᵀ, r n×q₁, s n×q₂.
   *
   * @return whether these kernels did it; false (the default) as for {@link #activatedProduct}
   */
  default boolean activatedTransposedProducts(INDArray x, INDArray w, INDArray r, INDArray s, Activation activation,
      double alpha, double beta, INDArray g, INDArray h) {
    return false;
  }

  /** c ← α·op(a)·op(a)ᵀ (n×n, symmetric; both triangles written); k is the inner dimension. */
  void gram(INDArray a, boolean transA, INDArray c, int n, int k, double alpha);

  /** a ← a + s·I for the n×n matrix a. */
  void addDiagonal(INDArray a, int n, double s);

  /** @return Σ x_i, accumulated in double */
  double sum(INDArray x);

  /** @return Σ x_i·y_i over x.length() elements, accumulated in double */
  double dot(INDArray x, INDArray y);

  /** @return whether no element is NaN or ±∞ */
  boolean allFinite(INDArray x);

  /**
   * Solves a·x = b in place: a (n×n, symmetric positive definite) is overwritten by
   * its Cholesky factor, b (n×nrhs) by x.
   *
   * @throws ArithmeticException naming the order of the failing leading minor if a is not positive definite
   */
  void choleskySolveInPlace(INDArray a, INDArray b, int n, int nrhs);
}
