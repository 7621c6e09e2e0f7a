package org.varflow.discretization.flow;

import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Tensor;

/**
 * Layer l of the flow discretized in depth: its M particles (a_{jl}, w_{jl}) as the rows of a and w (M×D), and the
 * depth step h = 1/L. The layer's map is z ↦ h F_l(z), F_l(z) = (1/M) Σ_j a_{jl} σ(w_{jl}·z), on the n rows of z.
 *
 * @param a the outer weights a_{jl}, M×D
 * @param w the inner weights w_{jl}, M×D
 */
record Layer(Tensor a, Tensor w, Activation activation, double h) {

  /**
   * What a cotangent c of h F_l(z) pulls back to.
   *
   * @param state (h ∂F_l/∂z)ᵀ c, n×D
   * @param a −(LM) ∂⟨c, h F_l(z)⟩/∂a_l, M×D
   * @param w −(LM) ∂⟨c, h F_l(z)⟩/∂w_l, M×D, or null when w is frozen
   */
  record Pullback(Tensor state, Tensor a, Tensor w) {
    /** this ← this + other, releasing other; @return this */
    Pullback addi(Pullback other) {
      state.addi(other.state);
      a.addi(other.a);
      if (w != null) {
        w.addi(other.w);
      }
      Tensor.releaseAll(other.state, other.a, other.w);
      return this;
    }
  }

  /** @return h F_l(z) = (h/M) σ(z wᵀ) a, n×D */
  Tensor increment(Tensor z) {
    return z.activatedProduct(w, activation, a, h / a.rows());
  }

  /**
   * The pullback of a cotangent c (n×D) through z ↦ h F_l(z), with Φ = σ(z wᵀ), Ψ = σ'(z wᵀ), G = (c aᵀ) ⊙ Ψ (n×M):
   * state (h/M) G w; a −Φᵀc; w −Gᵀz. The parameter parts are −(LM)·(h/M)(…) with hL = 1.
   *
   * @param withW whether to compute the part of w
   */
  Pullback pullback(Tensor z, Tensor c, boolean withW) {
    Tensor zw = z.matmul(w, false, true, 1.0);
    Tensor phi = zw.activate(activation);
    Tensor ca = c.matmul(a, false, true, 1.0);
    Tensor g = zw.activateDerivative(activation).muli(ca);
    Tensor.releaseAll(zw, ca);
    Tensor va = phi.matmul(c, true, false, -1.0);
    Tensor vw = withW ? g.matmul(z, true, false, -1.0) : null;
    Tensor state = g.matmul(w, false, false, h / a.rows());
    Tensor.releaseAll(phi, g);
    return new Pullback(state, va, vw);
  }
}
