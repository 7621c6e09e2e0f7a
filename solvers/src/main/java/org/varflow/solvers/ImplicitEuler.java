package org.varflow.solvers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.flow.LinearFlow;
import org.varflow.api.solve.DivergenceException;
import org.varflow.api.solve.SolveContext;
import org.varflow.api.tensor.Tensor;
import org.varflow.solvers.stepping.TimeStepper;

/**
 * Implicit (backward) Euler, the proximal step of the energy: θ_{k+1} = argmin_θ E(θ) + |θ − θ_k|²/(2h)
 * in the flow's metric, i.e. θ_{k+1} = θ_k + h·v(θ_{k+1}), t_k = k·h. It decreases the energy at every
 * step for any h &gt; 0 on a convex energy (unconditionally stable).
 *
 * <p>For a quadratic energy (the flow has {@link DiscreteFlow#linear()}) each step solves
 * (I + hA) u_{k+1} = u_k + h b by conjugate gradients on the products x ↦ x + h·A x. Otherwise each step
 * runs the inner iteration θ ← θ + η (v(θ) − (θ − θ_k)/h), gradient descent on the proximal objective.
 *
 * <p>Options: {@code step} h &gt; 0 (default 0.1); {@code steps} or final {@code time} (one of them,
 * default 1000 steps); {@code record_every} (default 10); {@code tolerance} (default 1e-10: the relative
 * residual of the linear solve, or ‖Δθ‖ ≤ tolerance·(1 + ‖θ‖) for the inner iteration);
 * {@code max_inner} (default 1000 inner iterations per step). Without linear structure also
 * {@code lipschitz} L̂, a bound on the Lipschitz constant of −v (default 1/h), and {@code inner_step} η
 * (default h/(1 + h·L̂), the inverse Lipschitz constant of the proximal objective's gradient). Diagnostics:
 * {@code inner_iterations} (the most any step took), {@code inner_unconverged} (steps that stopped at
 * {@code max_inner}) and {@code linear} (whether the linear structure was used). It can continue an interrupted
 * solve ({@code checkpoint_every}).
 */
public final class ImplicitEuler extends TimeStepper {
  private static final OptionSchema OPTIONS = declare(OptionSchema.builder())
      .number("tolerance", 1e-10, "relative residual of the linear solve, or ‖Δθ‖ ≤ tolerance·(1 + ‖θ‖)").atLeast(0)
      .integer("max_inner", 1000L, "most inner iterations per step").atLeast(1)
      .number("lipschitz", null, "bound L̂ on the Lipschitz constant of −v (no linear structure)").atLeast(0)
      .computedDefault("1/h")
      .number("inner_step", null, "inner gradient step η (no linear structure)").positive().computedDefault("h/(1 + h·L̂)")
      .build();

  @Override
  public String id() {
    return "implicit-euler";
  }

  @Override
  public String description() {
    return "implicit Euler θ ← argmin E(θ) + |θ − θ_k|²/(2h) (unconditionally stable proximal steps)";
  }

  @Override
  public OptionSchema options() {
    return OPTIONS;
  }

  /** The linear step needs no velocity; the proximal iteration starts from v(θ_k). */
  @Override
  protected boolean needsVelocity(SolveContext context) {
    return context.flow().linear().isEmpty();
  }

  /** The diagnostics count the inner iterations of the steps taken in this solve (after {@code first} if resumed). */
  @Override
  protected Step start(SolveContext context, double h) {
    Options options = context.options();
    double tolerance = options.getDouble("tolerance");
    long maxInner = options.getLong("max_inner");
    DiscreteFlow flow = context.flow();
    Optional<LinearFlow> linear = flow.linear();
    if (linear.isPresent()) {
      return new LinearStep(flow, linear.get(), h, tolerance, maxInner);
    }
    double lipschitz = options.getDouble("lipschitz", 1 / h);
    double eta = options.getDouble("inner_step", h / (1 + h * lipschitz));
    return new ProximalStep(flow, h, eta, tolerance, maxInner);
  }

  /** One implicit step, counting its inner iterations. */
  abstract static class Inner implements Step {
    private long maxIterations;
    private long unconverged;

    /** Notes that a step took {@code iterations} inner iterations and whether it converged. */
    final void count(long iterations, boolean converged) {
      maxIterations = Math.max(maxIterations, iterations);
      if (!converged) {
        unconverged++;
      }
    }

    abstract boolean linear();

    @Override
    public final Map<String, Object> diagnostics() {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("inner_iterations", maxIterations);
      out.put("inner_unconverged", unconverged);
      out.put("linear", linear());
      return out;
    }
  }

  /** (I + hA) u_{k+1} = u_k + h b, solved in place by CG warm-started at u_k. */
  static final class LinearStep extends Inner {
    private final Tensor u;
    private final LinearFlow linear;
    private final double h;
    private final double tolerance;
    private final long maxInner;

    LinearStep(DiscreteFlow flow, LinearFlow linear, double h, double tolerance, long maxInner) {
      this.u = flow.state().get(linear.unknown());
      if (u == null) {
        throw new IllegalStateException("the flow has no state tensor '" + linear.unknown() + "' (has "
            + flow.state().keySet() + ")");
      }
      this.linear = linear;
      this.h = h;
      this.tolerance = tolerance;
      this.maxInner = maxInner;
    }

    @Override
    boolean linear() {
      return true;
    }

    @Override
    public void advance(long k, Evaluation eval) {
      Tensor rhs = u.copy().axpyi(h, linear.rhs()); // u_k + h b
      ConjugateGradient.Result cg;
      try {
        cg = ConjugateGradient.solve(x -> {
          Tensor ax = linear.apply(x);
          Tensor out = x.copy().axpyi(h, ax); // (I + hA) x
          ax.release();
          return out;
        }, rhs, u, tolerance, maxInner);
      } catch (ArithmeticException e) {
        throw new DivergenceException(k + 1, (k + 1) * h, "I + hA is not positive definite: " + e.getMessage());
      } finally {
        rhs.release();
      }
      count(cg.iterations(), cg.converged());
    }
  }

  /**
   * θ_{k+1} = argmin E(θ) + |θ − θ_k|²_G/(2h), whose optimality condition is v(θ) = (θ − θ_k)/h with
   * v = −G⁻¹∇E; found by θ ← θ + η (v(θ) − (θ − θ_k)/h) from θ = θ_k.
   */
  static final class ProximalStep extends Inner {
    private final DiscreteFlow flow;
    private final double h;
    private final double eta;
    private final double tolerance;
    private final long maxInner;

    ProximalStep(DiscreteFlow flow, double h, double eta, double tolerance, long maxInner) {
      this.flow = flow;
      this.h = h;
      this.eta = eta;
      this.tolerance = tolerance;
      this.maxInner = maxInner;
    }

    @Override
    boolean linear() {
      return false;
    }

    @Override
    public void advance(long k, Evaluation eval) {
      Map<String, Tensor> state = flow.state();
      Map<String, Tensor> start = new LinkedHashMap<>();
      state.forEach((name, theta) -> start.put(name, theta.copy()));
      Map<String, Tensor> velocity = eval.velocity(); // at θ = θ_k
      long iterations = 0;
      boolean converged = false;
      try {
        while (true) {
          iterations++;
          double stepSq = 0;
          double normSq = 0;
          for (Map.Entry<String, Tensor> e : state.entrySet()) {
            if (!velocity.containsKey(e.getKey())) {
              continue; // a state tensor without velocity is frozen
            }
            Tensor theta = e.getValue();
            // Δθ = η (v(θ) − (θ − θ_k)/h)
            Tensor delta = theta.sub(start.get(e.getKey())).scalei(-1 / h).addi(velocity.get(e.getKey())).scalei(eta);
            theta.addi(delta);
            stepSq += delta.squaredNorm();
            normSq += theta.squaredNorm();
            delta.release();
          }
          velocity.values().forEach(Tensor::release);
          velocity = null;
          if (Math.sqrt(stepSq) <= tolerance * (1 + Math.sqrt(normSq))) {
            converged = true;
            break;
          }
          if (!Double.isFinite(stepSq) || iterations >= maxInner) {
            break;
          }
          Evaluation inner = flow.evaluate(true);
          if (!Double.isFinite(inner.energy())) {
            throw new DivergenceException(k + 1, (k + 1) * h,
                "energy is " + inner.energy() + " at inner iteration " + iterations + " " + inner.parts());
          }
          velocity = inner.velocity();
        }
      } finally {
        if (velocity != null) {
          velocity.values().forEach(Tensor::release);
        }
        start.values().forEach(Tensor::release);
      }
      count(iterations, converged);
    }
  }
}
