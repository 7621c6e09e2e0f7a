package org.varflow.discretization.spectral;

import java.util.Map;
import java.util.Optional;
import org.varflow.api.flow.ParameterDensity;
import org.varflow.api.flow.QuadraticFlow;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.DensityModel;
import org.varflow.api.problem.Sobolev;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/**
 * The L² gradient flow of the density model in the orthonormal Legendre coefficients c (see
 * {@link Basis}); since the basis is L²-orthonormal the metric is the identity:
 *
 * <pre>
 *   Φ_iq = σ(θ_q·(x_i, 1))   (one gemm + activate),   Ψ = Φ (W B)   (n × (P+1)^k, formed once)
 *   f(x_i) = Σ_α c_α ∫ P_α σ(w·x_i + b) dθ ≈ (Ψ c)_i
 *   J(c) = (1/2n) |Ψ c − y|² + ½ cᵀ S c,   S = G K + L M   (Kronecker Gram matrix, dense)
 *   dc/dt = −∇J = −(A c − b),   A = ΨᵀΨ/n + S,   b = Ψᵀy/n
 * </pre>
 *
 * <p>This is a {@link QuadraticFlow} with design P = Ψ and regularizer T = S. G = Σ α_j g_j and
 * L = Σ α_j l_j over the Sobolev regularizers; the energy part {@code sobolev} is
 * ½ cᵀ S c = Σ_j (α_j/2) ∫(g_j |∇u|² + l_j u²) ω (by Gauss quadrature).
 */
final class SpectralFlow extends QuadraticFlow {
  /** Name of the state tensor. */
  static final String STATE = "c";

  private final Basis basis;
  private final DensityModel model;
  private final TensorFactory tensors;
  private final Precision precision;
  private final Tensor theta;
  private final Tensor weightedValues;
  private final Tensor sobolev;
  /** S₀₁ and S₁₀ for the norms of u, formed when first asked for. */
  private Tensor[] norms;

  private SpectralFlow(Basis basis, DensityModel model, Tensor theta, Tensor weightedValues, Tensor psi, Tensor sobolev,
      Dataset train, boolean reportSobolev, Tensor c, TensorFactory tensors, Precision precision) {
    super(STATE, c, psi, tensors.of(precision, train.y(), train.n(), 1), reportSobolev ? Sobolev.KIND : null);
    this.basis = basis;
    this.model = model;
    this.tensors = tensors;
    this.precision = precision;
    this.theta = theta;
    this.weightedValues = weightedValues;
    this.sobolev = sobolev;
  }

  /** Forms the quadrature nodes Θ, the weighted basis values W B, Ψ = Φ (W B) and S once. */
  static SpectralFlow create(Basis basis, DensityModel model, Dataset train, double gradientStrength,
      double l2Strength, boolean reportSobolev, Tensor c, TensorFactory tensors, Precision precision) {
    Tensor theta = tensors.of(precision, basis.nodes, basis.nodeCount, basis.parameterDimension);
    Tensor weightedValues = tensors.of(precision, basis.weightedValues, basis.nodeCount, basis.size);
    Tensor sobolev = tensors.of(precision, basis.sobolev(gradientStrength, l2Strength), basis.size, basis.size);
    Tensor phi = model.features(theta, train, tensors, precision);
    Tensor psi = phi.matmul(weightedValues, false, false, 1.0);
    phi.release();
    return new SpectralFlow(basis, model, theta, weightedValues, psi, sobolev, train, reportSobolev, c, tensors, precision);
  }

  /** @return S c, a fresh rank-1 tensor */
  @Override
  protected Tensor applyRegularizer(Tensor c) {
    return sobolev.matmul(c, false, false, 1.0).reshape(c.rows());
  }

  @Override
  protected Tensor regularizerMatrix() {
    return sobolev.copy();
  }

  /** @return {@code u}: a copy of the coefficients c_α, α in C order (last axis fastest) */
  @Override
  public Map<String, Tensor> parameters() {
    return Map.of("u", state().get(STATE).copy());
  }

  /** f = Ψ_new c = Φ_new ((W B) c), an n×1 column. */
  @Override
  public Tensor predictions(Dataset data) {
    Tensor phi = model.features(theta, data, tensors, precision);
    Tensor u = weightedValues.matmul(state().get(STATE), false, false, 1.0); // w_q u(θ_q)
    Tensor f = phi.matmul(u, false, false, 1.0);
    Tensor.releaseAll(phi, u);
    return f;
  }

  /**
   * ∫u²ω = cᵀ S₀₁ c and ∫|∇u|²ω = cᵀ S₁₀ c, S_gl the Sobolev matrix of the basis with weights g, l
   * ({@link ParameterDensity#norms}); both formed on the first call.
   */
  @Override
  public Map<String, Double> diagnostics() {
    if (norms == null) {
      norms = new Tensor[] {tensors.of(precision, basis.sobolev(0, 1), basis.size, basis.size),
          tensors.of(precision, basis.sobolev(1, 0), basis.size, basis.size)};
    }
    Tensor c = state().get(STATE);
    Tensor mass = norms[0].matmul(c, false, false, 1.0).reshape(c.rows());
    Tensor stiffness = norms[1].matmul(c, false, false, 1.0).reshape(c.rows());
    Map<String, Double> out = ParameterDensity.norms(c.dot(mass), c.dot(stiffness));
    Tensor.releaseAll(mass, stiffness);
    return out;
  }

  /**
   * Releases the nodes, the weighted basis values and the Sobolev matrices, then what the quadratic flow keeps.
   */
  @Override
  public void close() {
    Tensor.releaseAll(theta, weightedValues, sobolev);
    if (norms != null) {
      Tensor.releaseAll(norms);
    }
    super.close();
  }

  /**
   * u is the expansion Σ_α c_α P_α; networks are drawn from the Gauss quadrature
   * f(x) ≈ Σ_q w_q u(θ_q) σ(θ_q·(x, 1)) that the flow itself uses ({@link ParameterDensity#quadrature}).
   */
  @Override
  public Optional<ParameterDensity> density() {
    return Optional.of(ParameterDensity.quadrature(model.domain(), basis.nodes, basis.weights, this::nodeValues,
        coordinates -> basis.evaluate(state().get(STATE).toDoubleArray(), coordinates), tensors, precision));
  }

  /** @return u(θ_q) = (W B c)_q / w_q */
  private double[] nodeValues() {
    Tensor weighted = weightedValues.matmul(state().get(STATE), false, false, 1.0);
    double[] u = weighted.toDoubleArray();
    weighted.release();
    for (int q = 0; q < u.length; q++) {
      u[q] /= basis.weights[q];
    }
    return u;
  }
}
