/**
 * Variants of the particle method for the mean-field two-layer network, each the exported
 * {@link org.varflow.particles.ParticleFlow} with its own features: {@code smoothed-particles} (ρ ≈ (1/m) Σ
 * N(θ_j, s²I)). Exports nothing.
 */
module org.varflow.discretization.family {
  requires org.varflow.discretization.particles;

  provides org.varflow.api.flow.Discretization with org.varflow.discretization.family.SmoothedParticles;
}
