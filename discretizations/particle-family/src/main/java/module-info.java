/**
 * Variants of the particle method for the mean-field two-layer network on the exported
 * {@link org.varflow.particles.ParticleFlow}: {@code smoothed-particles} (ρ ≈ (1/m) Σ N(θ_j, s²I), its own features)
 * and {@code conic-particles} (masses that the Fisher–Rao part of a Wasserstein–Fisher–Rao flow changes). Exports
 * nothing.
 */
module org.varflow.discretization.family {
  requires org.varflow.discretization.particles;

  provides org.varflow.api.flow.Discretization with
      org.varflow.discretization.family.SmoothedParticles,
      org.varflow.discretization.family.ConicParticles;
}
