package org.varflow.discretization.grid;

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
 * Tensor-grid discretization of the density model f(x; u) = ∫_Ω u(θ) σ(w·x + b) dθ, θ = (w, b), on a box
 * Ω ⊂ R^k (k = d + 1 ≤ 3) or on the circle domain S¹_r × [b₀, b₁] (d = 2, coordinates (ϕ, b), the angle
 * axis periodic), with the energy
 *
 * <pre>
 *   J_α(u) = R(u) + (α/2) ∫_Ω (g |∇u|² + l u²) ω dθ     (natural boundary condition on ∂Ω)
 * </pre>
 *
 * <p>u is represented by its values u_q = u(θ_q) at the N^k nodes of a tensor grid in the coordinates of
 * Ω (including the endpoints of bounded axes; N equispaced angles on a periodic one); integrals use the tensor trapezoid weights μ_q (M = diag(μ)) and ∫|∇u|²ω the
 * finite-difference stiffness K_ω over the grid edges (see {@link Grid}); so f(x_i) ≈ (Ψ M u)_i and
 *
 * <pre>
 *   J(u) = (1/2n) |Ψ M u − y|² + (α/2) uᵀ S u,   S = g K_ω + l M_ω   (SPD when l &gt; 0)
 * </pre>
 *
 * <p>The L² flow M du/dt = −∇J is integrated in the L²-orthonormal coordinates v = M^{1/2} u (state
 * {@code v}), where it is the symmetric affine flow dv/dt = −(A v − b) with
 * A = M^{1/2}ΨᵀΨM^{1/2}/n + α M^{−1/2} S M^{−1/2} and b = M^{1/2}Ψᵀy/n. Parameters: {@code u}, the node
 * values as a rank-1 array of length N^k, t_q ↔ (q_1, …, q_k) in C order (last axis fastest). Energy
 * parts: {@code risk} and {@code sobolev} (the sum over all Sobolev regularizers).
 *
 * <p>Options: {@code points} N ≥ 2 per axis (default 33 for k ≤ 2, 17 for k = 3);
 * {@code init.kind: zeros} (default) or {@code init.kind: gaussian} with {@code scale}
 * (v_q ~ N(0, scale²) from the flow's seed, default scale 1).
 */
public final class GridDiscretization implements Discretization {
  /** The {@code discretization.kind} of this plugin. */
  public static final String ID = "grid";
  /** The largest parameter dimension k = d + 1 a tensor grid is built for. */
  public static final int MAX_DIMENSION = 3;
  /** The most grid nodes N^k accepted (Ψ is n × N^k). */
  static final double MAX_NODES = 1 << 22;

  private static final OptionSchema OPTIONS = OptionSchema.builder()
      .integer("points", null, "grid points per axis, both endpoints included").atLeast(2)
      .computedDefault("33 for k ≤ 2, else 17 (k = d + 1)")
      .node("init", "initial node values", FlowContext.INIT)
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
    return "tensor grid on Ω: trapezoid quadrature and finite-difference H¹_ω stiffness, L² flow of node values";
  }

  @Override
  public Optional<Refusal> refusal(VariationalProblem problem) {
    return DensityProblem.refusal(problem, ID);
  }

  /** @return the points per axis without {@code points}: 33 for k ≤ 2, else 17 */
  private static int defaultPoints(int k) {
    return k <= 2 ? 33 : 17;
  }

  /** The features Ψ and the design P = Ψ M^{1/2} (n×Q each, Q = points^k nodes) and the nodes. */
  @Override
  public Optional<Footprint> footprint(VariationalProblem problem, Options options, int bytesPerElement) {
    DensityProblem density = DensityProblem.of(problem, ID, MAX_DIMENSION);
    int k = density.dimension();
    int points = options.has("points") ? options.getInt("points") : defaultPoints(k);
    double nodes = Math.pow(points, k);
    int n = problem.train().n();
    return Optional.of(Footprint.of(2 * n * nodes + k * nodes, bytesPerElement, options.keyPath("points"),
        String.format(Locale.ROOT, "the n×Q features and design, n = %d, Q = %d^%d", n, points, k)));
  }

  @Override
  public DiscreteFlow discretize(VariationalProblem problem, Options options, FlowContext context) {
    DensityProblem density = DensityProblem.of(problem, ID, MAX_DIMENSION);
    DensityModel model = density.model();
    int k = density.dimension();
    int points = options.getInt("points", defaultPoints(k));
    if (Math.pow(points, k) > MAX_NODES) {
      throw new SpecException(options.keyPath("points"), points + "^" + k + " grid nodes are more than "
          + (long) MAX_NODES + "; use fewer points");
    }
    Grid grid = new Grid(model.domain(), model.weight(), points);
    TensorFactory tensors = context.backend().tensors();
    Precision p = context.precision();
    Tensor v = context.initialState(options.sub("init").orElseThrow(), grid.size);
    return GridFlow.create(grid, model, problem.train(), density.gradientStrength(), density.l2Strength(),
        density.regularized(), v, tensors, p);
  }
}
