package org.varflow.solvers;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.flow.LinearFlow;
import org.varflow.api.plugin.Refusal;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.solve.DivergenceException;
import org.varflow.api.solve.Observer;
import org.varflow.api.solve.SolveContext;
import org.varflow.api.solve.SolveResult;
import org.varflow.api.solve.Solver;
import org.varflow.api.solve.StepRecord;
import org.varflow.api.tensor.Tensor;

/**
 * The end point of a flow with quadratic energy E(u) = ½ uᵀA u − bᵀu: solves the stationary equation
 * A u = b directly (the flow at t = +∞) and writes u into the state.
 *
 * <p>Options: {@code method} {@code auto | cholesky | cg} (default auto: Cholesky on the dense A when
 * k ≤ {@code cholesky_max}, default 4000, else conjugate gradients using only products A·x);
 * {@code tolerance} (default 1e-10, relative residual at which CG stops); {@code max_iterations}
 * (default 10·k, for CG). Records step 0 (the initial state) and step 1 at t = +∞. Diagnostics:
 * {@code residual} ‖A u − b‖/‖b‖, {@code iterations} (1 for Cholesky), {@code method} ({@code cholesky} or
 * {@code cg}) and {@code converged} (true or false).
 */
public final class Stationary implements Solver {
  private static final OptionSchema OPTIONS = OptionSchema.builder()
      .choice("method", "auto", "Cholesky on the dense A, conjugate gradients on products A·x, or auto (Cholesky up"
          + " to cholesky_max unknowns)", List.of("auto", "cholesky", "cg"))
      .integer("cholesky_max", 4000L, "most unknowns for which auto uses Cholesky").atLeast(1)
      .number("tolerance", 1e-10, "relative residual at which conjugate gradients stop").atLeast(0)
      .integer("max_iterations", null, "most conjugate-gradient iterations").atLeast(1).computedDefault("10·k")
      .build();

  @Override
  public String id() {
    return "stationary";
  }

  @Override
  public String description() {
    return "stationary solve A u = b of a quadratic energy (Cholesky or conjugate gradients)";
  }

  @Override
  public OptionSchema options() {
    return OPTIONS;
  }

  /** Needs the linear structure of a quadratic energy. */
  @Override
  public Optional<Refusal> refusal(VariationalProblem problem, DiscreteFlow flow) {
    return flow.linear().isPresent() ? Optional.empty() : Optional.of(new Refusal("solver.kind", "the stationary solver"
        + " needs an energy that is quadratic in one state tensor, and this discretization's is not; use explicit-euler"
        + " (or implicit-euler) instead"));
  }

  @Override
  public SolveResult solve(SolveContext context) {
    DiscreteFlow flow = context.flow();
    Options options = context.options();
    Observer observer = context.observer();
    Refusal.require(refusal(null, flow));
    LinearFlow linear = flow.linear().orElseThrow();
    Tensor u = flow.state().get(linear.unknown());
    if (u == null) {
      throw new IllegalStateException("the flow has no state tensor '" + linear.unknown() + "' (has "
          + flow.state().keySet() + ")");
    }
    Tensor b = linear.rhs();
    int k = b.rows();
    String method = options.getString("method");
    long choleskyMax = options.getLong("cholesky_max");
    double tolerance = options.getDouble("tolerance");
    long maxIterations = options.getLong("max_iterations", 10L * k);
    boolean cholesky = method.equals("cholesky") || method.equals("auto") && k <= choleskyMax;
    observer.onStart(1);

    Evaluation initial = flow.evaluate(false);
    if (!observer.onRecord(new StepRecord(0, 0.0, initial))) {
      return new SolveResult(0, 0.0, true, Map.of());
    }
    long iterations;
    boolean converged;
    try {
      if (cholesky) {
        Tensor solution = linear.operator().choleskySolve(b);
        u.scalei(0).addi(solution); // u ← A⁻¹b, in place
        solution.release();
        iterations = 1;
        converged = true;
      } else {
        ConjugateGradient.Result cg = ConjugateGradient.solve(linear::apply, b, u, tolerance, maxIterations);
        iterations = cg.iterations();
        converged = cg.converged();
      }
    } catch (ArithmeticException e) {
      throw new DivergenceException(0, 0, "A is not positive definite: " + e.getMessage()
          + "; add Tikhonov regularization (strength > 0)");
    }
    // residual ‖A u − b‖/‖b‖ from a fresh product (with A itself once it is formed), not from the solver's recursion
    Tensor r = (cholesky ? linear.operator().matmul(u, false, false, 1.0).reshape(u.rows()) : linear.apply(u)).axpyi(-1, b);
    double bNorm = Math.sqrt(b.squaredNorm());
    double residual = Math.sqrt(r.squaredNorm()) / (bNorm > 0 ? bNorm : 1);
    r.release();
    Map<String, Object> diagnostics = Map.of("residual", residual, "iterations", iterations,
        "method", cholesky ? "cholesky" : "cg", "converged", converged);

    observer.onStep(1);
    Evaluation end = flow.evaluate(false);
    if (!Double.isFinite(end.energy()) || !u.allFinite()) {
      throw new DivergenceException(1, Double.POSITIVE_INFINITY, "energy is " + end.energy() + " " + end.parts());
    }
    boolean stopped = !observer.onRecord(new StepRecord(1, Double.POSITIVE_INFINITY, end));
    return new SolveResult(1, Double.POSITIVE_INFINITY, stopped, diagnostics);
  }
}
