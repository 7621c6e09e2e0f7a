package org.varflow.solvers;

import java.util.function.UnaryOperator;
import org.varflow.api.tensor.Tensor;

/**
 * Conjugate gradients for M x = b with M symmetric positive definite, given only x ↦ M x.
 *
 * <p>The recurrence of Hestenes &amp; Stiefel (J. Res. Nat. Bur. Standards 49, 1952):
 * r₀ = b − M x₀, p₀ = r₀; α_j = r_jᵀr_j / p_jᵀM p_j; x_{j+1} = x_j + α_j p_j;
 * r_{j+1} = r_j − α_j M p_j; β_j = r_{j+1}ᵀr_{j+1} / r_jᵀr_j; p_{j+1} = r_{j+1} + β_j p_j.
 * Stops when ‖r‖ ≤ tol·‖b‖.
 */
final class ConjugateGradient {

  /**
   * @param iterations products with M taken (0 when x₀ already solved the system)
   * @param residual the recursive residual ‖r‖/‖b‖ (‖r‖ when b = 0)
   * @param converged whether the residual reached the tolerance
   */
  record Result(long iterations, double residual, boolean converged) {}

  private ConjugateGradient() {}

  /**
   * Improves {@code x} in place.
   *
   * @param m x ↦ M x as a new tensor (released here); must not change its argument
   * @param b right-hand side
   * @param x initial guess, overwritten with the solution
   * @param tolerance relative residual to reach
   * @param maxIterations most products with M
   * @return iterations and residual
   * @throws ArithmeticException when pᵀM p ≤ 0 (M is not positive definite) or stops being finite
   */
  static Result solve(UnaryOperator<Tensor> m, Tensor b, Tensor x, double tolerance, long maxIterations) {
    double bNorm = Math.sqrt(b.squaredNorm());
    double scale = bNorm > 0 ? bNorm : 1;
    Tensor mx = m.apply(x);
    Tensor r = b.sub(mx);
    mx.release();
    double rr = r.squaredNorm();
    if (Math.sqrt(rr) <= tolerance * scale) {
      r.release();
      return new Result(0, Math.sqrt(rr) / scale, true);
    }
    Tensor p = r.copy();
    try {
      for (long j = 1; j <= maxIterations; j++) {
        Tensor mp = m.apply(p);
        double pmp = p.dot(mp);
        if (!(pmp > 0) || Double.isInfinite(pmp)) {
          mp.release();
          throw new ArithmeticException("pᵀMp = " + pmp + " at conjugate-gradient iteration " + j);
        }
        double alpha = rr / pmp;
        x.axpyi(alpha, p);
        r.axpyi(-alpha, mp);
        mp.release();
        double rrNext = r.squaredNorm();
        if (Math.sqrt(rrNext) <= tolerance * scale) {
          return new Result(j, Math.sqrt(rrNext) / scale, true);
        }
        p.scalei(rrNext / rr).addi(r); // p ← r + β p
        rr = rrNext;
      }
      return new Result(maxIterations, Math.sqrt(rr) / scale, false);
    } finally {
      r.release();
      p.release();
    }
  }
}
