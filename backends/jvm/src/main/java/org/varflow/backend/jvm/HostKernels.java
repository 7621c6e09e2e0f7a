package org.varflow.backend.jvm;

import org.varflow.api.tensor.Activation;

/**
 * The jvm backend's products through activations on row-major host arrays, for another CPU backend whose tensors live
 * in host memory (nd4j-cpu): copying X, W and the small operands in and the
 * results out costs O((n + m)·p), the products O(n·m·p), and no library this project uses offers them fused. The
 * methods are those of {@link org.varflow.api.tensor.Tensor#activatedProduct} and
 * {@link org.varflow.api.tensor.Tensor#activatedTransposedProducts}, computed by {@link Gemm}; outputs are added to.
 */
public final class HostKernels {
  private HostKernels() {}

  /** out (n×q) += α·σ(X Wᵀ)·c for X n×p, W m×p, c m×q. */
  public static void activatedProduct(double[] x, double[] w, double[] c, double[] out, int n, int m, int p, int q,
      Activation activation, double alpha) {
    Gemm.F64.activatedProduct(x, w, c, out, n, m, p, q, activation, alpha);
  }

  /** out (n×q) += α·σ(X Wᵀ)·c for X n×p, W m×p, c m×q. */
  public static void activatedProduct(float[] x, float[] w, float[] c, float[] out, int n, int m, int p, int q,
      Activation activation, double alpha) {
    Gemm.F32.activatedProduct(x, w, c, out, n, m, p, q, activation, alpha);
  }

  /** g (m×qr) += α·σ(Z)ᵀ·r and h (m×qs) += β·σ'(Z)ᵀ·s at Z = X Wᵀ, r n×qr, s n×qs. */
  public static void activatedTransposedProducts(double[] x, double[] w, double[] r, int qr, double[] s, int qs,
      double[] g, double[] h, int n, int m, int p, Activation activation, double alpha, double beta) {
    Gemm.F64.activatedTransposedProducts(x, w, r, qr, s, qs, g, h, n, m, p, activation, alpha, beta);
  }

  /** g (m×qr) += α·σ(Z)ᵀ·r and h (m×qs) += β·σ'(Z)ᵀ·s at Z = X Wᵀ, r n×qr, s n×qs. */
  public static void activatedTransposedProducts(float[] x, float[] w, float[] r, int qr, float[] s, int qs,
      float[] g, float[] h, int n, int m, int p, Activation activation, double alpha, double beta) {
    Gemm.F32.activatedTransposedProducts(x, w, r, qr, s, qs, g, h, n, m, p, activation, alpha, beta);
  }
}
