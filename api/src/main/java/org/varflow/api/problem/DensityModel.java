package org.varflow.api.problem;

import java.util.List;
import java.util.Optional;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

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

  /**
   * With Sobolev terms of total strength α the energy is α-convex in ‖u‖²_S = ∫(g|∇u|² + l u²)ω; the L²
   * flow's modulus is Σ α·l · min_Ω ω.
   */
  @Override
  public Optional<Convexity> convexity(List<Regularizer> regularizers) {
    List<Sobolev> sobolev = regularizers.stream().filter(r -> r instanceof Sobolev).map(r -> (Sobolev) r).toList();
    double alpha = sobolev.stream().mapToDouble(Sobolev::strength).sum();
    double l = sobolev.stream().mapToDouble(s -> s.strength() * s.l2Weight()).sum();
    return Optional.of(new Convexity("H¹_ω(Ω), Ω = " + domain + ", ω " + weight.kind()
        + "; natural (Neumann) boundary condition", alpha, l * minWeight(), "{H¹_ω}", 0.5));
  }

  /** @return min_Ω ω: 1 for the uniform weight; the Gaussian weight is smallest where |θ| is largest (a far corner) */
  private double minWeight() {
    double[] lower = domain.lower();
    double[] upper = domain.upper();
    double[] corner = new double[lower.length];
    for (int i = 0; i < corner.length; i++) {
      corner[i] = Math.max(Math.abs(lower[i]), Math.abs(upper[i]));
    }
    return weight.value(domain.parameters(corner));
  }

  /**
   * The feature matrix of a quadrature: Φ_iq = φ(x_i; θ_q) = σ(θ_q·(x_i, 1)), one gemm and an activation.
   *
   * @param theta nodes θ_q in parameter space, Q × (d + 1)
   * @param data the points x_i
   * @return Φ, n × Q, a fresh tensor
   */
  public Tensor features(Tensor theta, Dataset data, TensorFactory tensors, Precision precision) {
    Tensor x = tensors.of(precision, data.inputsWithBias(), data.n(), data.d() + 1);
    Tensor z = x.matmul(theta, false, true, 1.0);
    Tensor phi = z.activate(activation);
    Tensor.releaseAll(x, z);
    return phi;
  }
}
