/**
 * Orthogonal random features (Yu et al., "Orthogonal Random Features", NeurIPS 2016) as a varflow plugin:
 * the random feature model discretized with features that are orthogonal within each block of d, each
 * still distributed as π. Built outside the varflow build, against its api and the random-features module.
 */
module org.example.orthogonal.features {
  requires org.varflow.discretization.random.features;

  provides org.varflow.api.flow.Discretization with org.example.orthogonal.features.OrthogonalFeatures;
}
