package org.varflow.api.problem;

import org.varflow.api.tensor.Activation;

/**
 * The density formulation of a shallow network: f(x; u) = ∫_Ω u(θ) φ(x; θ) dθ with a signed density u
 * on a parameter domain Ω (a box in R^{d+1}, or w on a circle for d = 2, see {@link ParameterDomain}) and
 * φ(x; θ) = σ(w·x + b), θ = (w, b), dθ the surface measure of Ω. With a {@link Sobolev}
 * regularizer the energy J_α(u) = R(u) + (α/2) ∫_Ω (|∇u|² + u²) ω dθ is α-convex in H¹_ω(Ω), and the
 * boundary condition at ∂Ω is the natural (Neumann) one.
 *
 * @param activation σ
 * @param domain Ω, with θ ∈ R^{d+1}
 * @param weight ω
 */
public record DensityModel(Activation activation, ParameterDomain domain, DensityWeight weight) implements Model {
  /** The {@code model.kind} of this model. */
  public static final String KIND = "density";

  @Override
  public String kind() {
    return KIND;
  }
}
