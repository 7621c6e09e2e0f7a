/**
 * The particle method for the mean-field two-layer network: ρ ≈ (1/m) Σ δ_{θ_j}, which is the
 * 1/m-scaled two-layer network f(x) = (1/m) Σ a_j σ(w_j·x) trained by its Wasserstein gradient flow.
 * It exports the base of the particle family, {@link org.varflow.particles.ParticleFlow} and
 * {@link org.varflow.particles.ParticleInit}, which the built-in {@code particles} uses as any plugin would.
 */
module org.varflow.discretization.particles {
  requires transitive org.varflow.api;

  exports org.varflow.particles;

  provides org.varflow.api.flow.Discretization with org.varflow.discretization.particles.ParticleDiscretization;
}
