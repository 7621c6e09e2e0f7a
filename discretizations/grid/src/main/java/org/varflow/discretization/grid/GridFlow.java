package org.varflow.discretization.grid;

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
 * The L² gradient flow of the density model on a tensor grid, in the L²-orthonormal node coordinates
 * v = M^{1/2} u (M = diag(μ), see {@link Grid}):
 *
 * <pre>
 *   Ψ_iq = σ(w_q·x_i + b_q)   (one gemm (x, 1) Θᵀ),   P = Ψ M^{1/2}   (n×Q, formed once)
 *   f(x_i) ≈ Σ_q μ_q u_q Ψ_iq = (P v)_i
 *   J(v) = (1/2n) |P v − y|² + ½ vᵀ T v,   T = M^{−1/2} (G K_ω + L M_ω) M^{−1/2}
 *   dv/dt = −M^{−1/2} ∇_u J = −(A v − b),   A = PᵀP/n + T,   b = Pᵀy/n
 * </pre>
 *
 * <p>This is a {@link QuadraticFlow} with design P and regularizer T. G = Σ α_j g_j and L = Σ α_j l_j
 * over the Sobolev regularizers (α_j, g_j, l_j); the energy part
 * {@code sobolev} is ½ vᵀ T v = Σ_j (α_j/2) uᵀ (g_j K_ω + l_j M_ω) u.
 */
final class GridFlow extends QuadraticFlow {
  /** Name of the state tensor. */
  static final String STATE = "v";

  private final Grid grid;
  private final DensityModel model;
  private final TensorFactory tensors;
  private final Precision precision;
  private final double gradientStrength;
  private final double l2Strength;
  private final Tensor theta;
  private final Tensor sqrtMu;
  private final Tensor inverseSqrtMu;

  private GridFlow(Grid grid, DensityModel model, Tensor theta, Tensor sqrtMu, Tensor inverseSqrtMu, Tensor p,
      Dataset train, double gradientStrength, double l2Strength, boolean reportSobolev, Tensor v,
      TensorFactory tensors, Precision precision) {
    super(STATE, v, p, tensors.of(precision, train.y(), train.n(), 1), reportSobolev ? Sobolev.KIND : null);
    this.grid = grid;
    this.model = model;
    this.tensors = tensors;
    this.precision = precision;
    this.gradientStrength = gradientStrength;
    this.l2Strength = l2Strength;
    this.theta = theta;
    this.sqrtMu = sqrtMu;
    this.inverseSqrtMu = inverseSqrtMu;
  }

  /** Forms the node matrix Θ, M^{±1/2} and the design P = Ψ M^{1/2} once. */
  static GridFlow create(Grid grid, DensityModel model, Dataset train, double gradientStrength, double l2Strength,
      boolean reportSobolev, Tensor v, TensorFactory tensors, Precision precision) {
    Tensor theta = tensors.of(precision, grid.nodes, grid.size, grid.parameterDimension);
    double[] root = new double[grid.size];
    for (int q = 0; q < grid.size; q++) {
      root[q] = Math.sqrt(grid.mu[q]);
    }
    Tensor sqrtMu = tensors.of(precision, root, grid.size);
    for (int q = 0; q < grid.size; q++) {
      root[q] = 1 / root[q];
    }
    Tensor inverseSqrtMu = tensors.of(precision, root, grid.size);
    Tensor psi = model.features(theta, train, tensors, precision);
    Tensor p = psi.mulRowVector(sqrtMu);
    psi.release();
    return new GridFlow(grid, model, theta, sqrtMu, inverseSqrtMu, p, train, gradientStrength, l2Strength,
        reportSobolev, v, tensors, precision);
  }

  /** @return T v, a fresh rank-1 tensor (the sparse stiffness and mass applied on the JVM) */
  @Override
  protected Tensor applyRegularizer(Tensor v) {
    return tensors.of(precision, grid.applyNormalized(v.toDoubleArray(), gradientStrength, l2Strength), grid.size);
  }

  /** @return T as a dense Q × Q matrix, built column by column from the same sparse routine */
  @Override
  protected Tensor regularizerMatrix() {
    return tensors.of(precision, grid.denseNormalized(gradientStrength, l2Strength), grid.size, grid.size);
  }

  /** @return {@code u} = M^{−1/2} v, the node values u(θ_q) in C order (last axis fastest) */
  @Override
  public Map<String, Tensor> parameters() {
    return Map.of("u", state().get(STATE).mul(inverseSqrtMu));
  }

  /** f = Ψ_new M u = Ψ_new (M^{1/2} v), an n×1 column. */
  @Override
  public Tensor predictions(Dataset data) {
    Tensor psi = model.features(theta, data, tensors, precision);
    Tensor weighted = state().get(STATE).mul(sqrtMu);
    Tensor f = psi.matmul(weighted, false, false, 1.0);
    Tensor.releaseAll(psi, weighted);
    return f;
  }

  /**
   * ∫u²ω = vᵀ M^{−1/2} M_ω M^{−1/2} v and ∫|∇u|²ω = vᵀ M^{−1/2} K_ω M^{−1/2} v, the regularizer's own mass and
   * stiffness ({@link ParameterDensity#norms}).
   */
  @Override
  public Map<String, Double> diagnostics() {
    Tensor v = state().get(STATE);
    double[] values = v.toDoubleArray();
    Tensor mass = tensors.of(precision, grid.applyNormalized(values, 0, 1), grid.size);
    Tensor stiffness = tensors.of(precision, grid.applyNormalized(values, 1, 0), grid.size);
    Map<String, Double> norms = ParameterDensity.norms(v.dot(mass), v.dot(stiffness));
    Tensor.releaseAll(mass, stiffness);
    return norms;
  }

  /** Releases the nodes and M^{±1/2}, then what the quadratic flow keeps. */
  @Override
  public void close() {
    Tensor.releaseAll(theta, sqrtMu, inverseSqrtMu);
    super.close();
  }

  /**
   * u is the multilinear interpolant of the node values; networks are drawn from the trapezoid quadrature
   * f(x) ≈ Σ_q μ_q u_q σ(θ_q·(x, 1)) ({@link ParameterDensity#quadrature}).
   */
  @Override
  public Optional<ParameterDensity> density() {
    return Optional.of(ParameterDensity.quadrature(model.domain(), grid.nodes, grid.mu, this::nodeValues,
        coordinates -> grid.interpolate(nodeValues(), coordinates), tensors, precision));
  }

  private double[] nodeValues() {
    Tensor u = parameters().get("u");
    double[] values = u.toDoubleArray();
    u.release();
    return values;
  }
}
