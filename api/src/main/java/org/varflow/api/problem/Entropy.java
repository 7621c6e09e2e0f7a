package org.varflow.api.problem;

/**
 * The entropy of the parameter density, R(ρ) = τ ∫ ρ log ρ with τ = {@link #strength()} the temperature. No
 * particle discretization computes it (a cloud of Dirac masses has no density); a solver realizes it instead, as
 * Langevin dynamics does by noise √(2τh)·ξ on every particle position per step (see
 * {@link org.varflow.api.solve.Solver#realizes}). A regularizer plugin implements this to be that term.
 */
public interface Entropy extends Regularizer {

  /** @return τ, the temperature: the strength of the entropy */
  default double temperature() {
    return strength();
  }
}
