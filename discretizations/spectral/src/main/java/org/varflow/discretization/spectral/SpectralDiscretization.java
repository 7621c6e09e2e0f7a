package org.varflow.discretization.spectral;

import java.util.Locale;
import java.util.Optional;
import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.SpecException;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Discretization;
import org.varflow.api.flow.Footprint;
import org.varflow.api.flow.FlowContext;
import org.varflow.api.plugin.Refusal;
import org.varflow.api.problem.DensityModel;
import org.varflow.api.problem.DensityProblem;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/**
 * Spectral (Galerkin) discretization of the density model f(x; u) = ∫_Ω u(θ) σ(w·x + b) dθ,
 * θ = (w, b), on a box Ω = Π_i [lo_i, hi_i] ⊂ R^k (k = d + 1 ≤ 3) or on the circle domain S¹_r × [b₀, b₁]
 * (d = 2, coordinates (ϕ, b)), with the energy
 *
 * <pre>
 *   J_α(u) = R(u) + (α/2) ∫_Ω (g |∇u|² + l u²) ω dθ     (natural boundary condition on ∂Ω)
 * </pre>
 *
 * <p>u = Σ_α c_α P_α in the orthonormal tensor Legendre basis of L²(Ω):
 * P_α(θ) = Π_i p_{α_i}(θ_i), p_n(t) = √((2n+1)/L_i) Legendre_n(2(t − lo_i)/L_i − 1), L_i = hi_i − lo_i,
 * α_i = 0..P; on a circle the angle axis carries the Fourier basis 1/√L, √(2/L) cos nϕ, √(2/L) sin nϕ,
 * n = 1..P, L = 2πr, with Q equispaced angles (see {@link Axis}). Because the basis is L²-orthonormal, c are the L²-orthonormal coordinates of u: the state
 * is {@code c} and the metric is the identity. With tensor Gauss–Legendre quadrature (Q points per axis,
 * nodes θ_q, weights w_q, B_qα = P_α(θ_q)):
 *
 * <pre>
 *   f(x_i) = Σ_α c_α ∫_Ω P_α(θ) σ(w·x_i + b) dθ ≈ (Ψ c)_i,   Ψ = Φ (diag(w) B),   Φ_iq = σ(θ_q·(x_i, 1))
 *   S_αβ = ∫ (g ∇P_α·∇P_β + l P_α P_β) ω dθ   (same quadrature; = l·δ_αβ + g-part for uniform ω)
 *   J(c) = (1/2n) |Ψ c − y|² + (α/2) cᵀ S c
 *   dc/dt = −(A c − b),   A = ΨᵀΨ/n + α S   (SPD when α l &gt; 0),   b = Ψᵀy/n
 * </pre>
 *
 * <p>The basis carries no boundary constraint, so the natural (Neumann) condition holds automatically.
 * Parameters: {@code u}, the coefficients c as a rank-1 array of length (P+1)^k (circle: (2P+1)(P+1)), α ↔ (α_1, …, α_k) in
 * C order (last axis fastest). Energy parts: {@code risk} and {@code sobolev} (the sum over all Sobolev
 * regularizers).
 *
 * <p>Options: {@code degree} P ≥ 0 (default 12 for k ≤ 2, 6 for k = 3); {@code quadrature} Q points per
 * axis, at least P + 1 (2P + 1 on a circle) so that the mass matrix is exact (default 2P + 8); {@code init.kind: zeros} (default) or
 * {@code init.kind: gaussian} with {@code scale} (c_α ~ N(0, scale²) from the flow's seed, default 1).
 */
public final class SpectralDiscretization implements Discretization {
  /** The {@code discretization.kind} of this plugin. */
  public static final String ID = "spectral";
  /** The largest parameter dimension k = d + 1 a tensor basis is built for. */
  public static final int MAX_DIMENSION = 3;
  /** The most coefficients (P+1)^k accepted (A and S are dense squares of this size). */
  static final double MAX_COEFFICIENTS = 4096;
  /** The most quadrature nodes Q^k accepted (Φ is n × Q^k). */
  static final double MAX_NODES = 1 << 20;

  private static final OptionSchema OPTIONS = OptionSchema.builder()
      .integer("degree", null, "polynomial degree P per axis (Fourier modes up to P on a circle)").atLeast(0)
      .computedDefault("12 for k ≤ 2, else 6 (k = d + 1)")
      .integer("quadrature", null, "Gauss (or equispaced, on a circle) points per axis").atLeast(1)
      .computedDefault("2·degree + 8")
      .node("init", "initial coefficients", FlowContext.INIT)
      .build();

  @Override
  public OptionSchema options() {
    return OPTIONS;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String description() {
    return "orthonormal tensor Legendre Galerkin on Ω with Gauss quadrature, L² flow of the coefficients";
  }

  @Override
  public Optional<Refusal> refusal(VariationalProblem problem) {
    return DensityProblem.refusal(problem, ID);
  }

  /** @return the degree without {@code degree}: 12 for k ≤ 2, else 6 */
  private static int defaultDegree(int k) {
    return k <= 2 ? 12 : 6;
  }

  /** @return the quadrature points per axis without {@code quadrature}: 2·degree + 8 */
  private static int defaultQuadrature(int degree) {
    return 2 * degree + 8;
  }

  /** The features at the Q nodes (n×Q), the basis values there (Q×S), the design (n×S) and S (S×S). */
  @Override
  public Optional<Footprint> footprint(VariationalProblem problem, Options options, int bytesPerElement) {
    DensityProblem density = DensityProblem.of(problem, ID, MAX_DIMENSION);
    int k = density.dimension();
    int degree = options.has("degree") ? options.getInt("degree") : defaultDegree(k);
    int quadrature = options.has("quadrature") ? options.getInt("quadrature") : defaultQuadrature(degree);
    double size = 1;
    for (int i = 0; i < k; i++) {
      size *= Axis.size(density.model().domain().periodic(i), degree);
    }
    double nodes = Math.pow(quadrature, k);
    int n = problem.train().n();
    return Optional.of(Footprint.of(n * nodes + nodes * size + n * size + size * size, bytesPerElement,
        options.keyPath("degree"), String.format(Locale.ROOT,
            "the n×Q features at the quadrature nodes and the n×S design, n = %d, Q = %d^%d, S = %.0f", n, quadrature,
            k, size)));
  }

  @Override
  public DiscreteFlow discretize(VariationalProblem problem, Options options, FlowContext context) {
    DensityProblem density = DensityProblem.of(problem, ID, MAX_DIMENSION);
    DensityModel model = density.model();
    int k = density.dimension();
    int degree = options.getInt("degree", defaultDegree(k));
    boolean periodic = model.domain().periodic(0);
    double coefficients = 1;
    for (int i = 0; i < k; i++) {
      coefficients *= Axis.size(model.domain().periodic(i), degree);
    }
    if (coefficients > MAX_COEFFICIENTS) {
      throw new SpecException(options.keyPath("degree"), (long) coefficients + " coefficients at degree " + degree
          + " are more than " + (long) MAX_COEFFICIENTS + "; use a lower degree");
    }
    int quadrature = options.getInt("quadrature", defaultQuadrature(degree));
    int least = Axis.size(periodic, degree);
    if (quadrature < least) {
      throw new SpecException(options.keyPath("quadrature"), "must be at least " + (periodic ? "2 degree + 1 = "
          : "degree + 1 = ") + least + " points per axis (exact mass matrix), got " + quadrature);
    }
    if (Math.pow(quadrature, k) > MAX_NODES) {
      throw new SpecException(options.keyPath("quadrature"), quadrature + "^" + k + " quadrature nodes are more than "
          + (long) MAX_NODES + "; use fewer points");
    }
    Basis basis = new Basis(model.domain(), model.weight(), degree, quadrature);
    TensorFactory tensors = context.backend().tensors();
    Precision p = context.precision();
    Tensor c = context.initialState(options.sub("init").orElseThrow(), basis.size);
    return SpectralFlow.create(basis, model, problem.train(), density.gradientStrength(), density.l2Strength(),
        density.regularized(), c, tensors, p);
  }
}
