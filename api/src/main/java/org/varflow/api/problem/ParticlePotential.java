package org.varflow.api.problem;

import org.varflow.api.tensor.Tensor;

/**
 * A regularizer that integrates a potential against the parameter measure, R(ρ) = ∫ V(a, w) dρ; on m particles
 * R = (1/m) Σ_j V(a_j, w_j), whose particle velocity −m ∂R/∂θ_j is −∇V(θ_j). A discretization of the particle
 * family computes every regularizer with this capability without knowing it (weight decay is one, a path norm
 * another), so a regularizer plugin that implements it runs on {@code particles} as it is.
 */
public interface ParticlePotential extends Regularizer {

  /**
   * @param a the outer weights a_j, length m (read only)
   * @param w the inner weights w_j as rows, m×p (read only)
   * @return V(a_j, w_j) for each particle: a new rank-1 tensor of length m, owned by the caller (a discretization
   *     whose particles carry masses μ_j integrates R = Σ_j μ_j V(a_j, w_j) with it)
   */
  Tensor values(Tensor a, Tensor w);

  /** @return Σ_j V(a_j, w_j), the sum of {@link #values} */
  default double sum(Tensor a, Tensor w) {
    Tensor values = values(a, w);
    double sum = values.sum();
    values.release();
    return sum;
  }

  /**
   * Adds −∇V(a_j, w_j) to each particle's velocity, in place.
   *
   * @param va the velocity of a, length m
   * @param vw the velocity of w, m×p
   */
  void addVelocity(Tensor a, Tensor w, Tensor va, Tensor vw);
}
