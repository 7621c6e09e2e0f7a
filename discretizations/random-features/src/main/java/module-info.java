/**
 * Discretizations of the random feature model f(x) = ∫ a(w) σ(w·x) π(dw): Monte Carlo features
 * ({@code random-features}, f = (1/m) Σ a_j σ(w_j·x) with frozen w_j ~ π) and their exact infinite-width
 * limit ({@code kernel}, f = Σ_i c_i k(x, x_i) with k(x, x') = E_π[σ(w·x) σ(w·x')]). Exports
 * {@code SampledFeatures}, the base of Monte Carlo discretizations with a sampling rule of their own.
 */
module org.varflow.discretization.random.features {
  requires transitive org.varflow.api;

  // SampledFeatures: a new sampling rule for random features is a subclass (see its javadoc)
  exports org.varflow.discretization.random.features;

  provides org.varflow.api.flow.Discretization with
      org.varflow.discretization.random.features.RandomFeatureDiscretization,
      org.varflow.discretization.random.features.KernelDiscretization;
}
