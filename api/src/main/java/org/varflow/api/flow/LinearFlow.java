package org.varflow.api.flow;

import org.varflow.api.tensor.Tensor;

/**
 * The affine structure of a flow whose energy is quadratic in one state tensor u (rank 1, length k):
 * du/dt = −(A u − b) with A symmetric positive semi-definite, so that E(u) = ½ uᵀA u − bᵀu + const in
 * the flow's metric. Stationary solvers solve A u = b; implicit Euler solves (I + hA) u⁺ = u + h b.
 */
public interface LinearFlow {

  /** @return the name of the state tensor u in {@link DiscreteFlow#state()} */
  String unknown();

  /** @return A as a dense k×k matrix, formed on first call and kept: callers must not modify or release it */
  Tensor operator();

  /** @return A·u for a rank-1 u of length k, a new tensor owned by the caller, without forming A where that is cheaper */
  Tensor apply(Tensor u);

  /** @return b, rank 1 of length k, formed on first call and kept: callers must not modify or release it */
  Tensor rhs();

  /**
   * L = ρ + ‖Au − ρu‖ at the power iterate u (u ← Au/‖Au‖ from a seeded start, ‖u‖ = 1, ρ = uᵀAu, until ρ changes
   * by at most 1e-10 relative, or 500 products): the Rayleigh quotient ρ ≤ λ_max plus the residual, which bounds
   * the distance from ρ to the eigenvalue u converges to, so that L ≥ λ_max once u leans towards its eigenvector.
   * Explicit Euler is stable for h &lt; 2/L.
   *
   * @param seed the seed of the random start
   * @return L, an upper estimate of the largest eigenvalue of A
   */
  default double largestEigenvalueBound(long seed) {
    Tensor u = rhs().factory().normal(rhs().precision(), seed, 0, 1, rhs().rows());
    try {
      u.scalei(1 / Math.sqrt(u.squaredNorm()));
      double rho = 0;
      for (int i = 1; ; i++) {
        Tensor au = apply(u);
        double next = au.dot(u);
        double squaredNorm = au.squaredNorm();
        if (Math.abs(next - rho) <= 1e-10 * Math.abs(next) || i == 500) {
          au.release();
          return next + Math.sqrt(Math.max(0, squaredNorm - next * next)); // ‖Au − ρu‖² = ‖Au‖² − ρ²
        }
        rho = next;
        au.scalei(1 / Math.sqrt(squaredNorm));
        u.release();
        u = au;
      }
    } finally {
      u.release();
    }
  }
}
