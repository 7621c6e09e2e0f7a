/**
 * The spectral discretization ({@code spectral}) of the density model f(x) = ∫_Ω u(θ) σ(w·x + b) dθ:
 * Galerkin in the L²-orthonormal tensor Legendre basis of the parameter box (Fourier in the angle when w lies
 * on a circle), tensor Gauss–Legendre quadrature and the exact Galerkin H¹_ω form with natural boundary
 * conditions.
 */
module org.varflow.discretization.spectral {
  requires org.varflow.api;

  provides org.varflow.api.flow.Discretization with org.varflow.discretization.spectral.SpectralDiscretization;
}
