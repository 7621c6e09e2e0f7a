package org.varflow.dynamics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.varflow.api.OptionSchema;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.plugin.Refusal;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.solve.DivergenceException;
import org.varflow.api.solve.SolveContext;
import org.varflow.api.tensor.Tensor;
import org.varflow.solvers.stepping.TimeStepper;

/**
 * The scalar auxiliary variable scheme (Ma, Mao, Shen, J. Comput. Phys. 505 (2024) 112911) on particles of equal
 * mass, whose metric is G = I/m (v = −G⁻¹∇E). The energy is split as E = ½⟨θ, Lθ⟩_G + I(θ) with L = λ·I
 * ({@code lambda}: λ = κ makes the linear part a weight decay), and r ≈ √(I + C) ({@code C}). With g = G⁻¹∇I =
 * −v − λθ and s = √(I(θⁿ) + C), a step is linear in θ and r and solved in closed form:
 *
 * <pre>
 *   (θⁿ⁺¹ − θⁿ)/h = −λθⁿ⁺¹ − (rⁿ⁺¹/s)·gⁿ
 *   rⁿ⁺¹ − rⁿ     = ⟨G gⁿ, θⁿ⁺¹ − θⁿ⟩ / (2s)
 *   ⇒ rⁿ⁺¹ = (rⁿ − hλ⟨G gⁿ, θⁿ⟩/(2s(1 + hλ))) / (1 + h⟨G gⁿ, gⁿ⟩/(2s²(1 + hλ))),   θⁿ⁺¹ = (θⁿ − h(rⁿ⁺¹/s)gⁿ)/(1 + hλ)
 * </pre>
 *
 * The modified energy Ẽ = ½⟨θ, Lθ⟩_G + r² never increases, whatever h: Ẽⁿ⁺¹ − Ẽⁿ = −‖θⁿ⁺¹ − θⁿ‖²_G/h − λ‖θⁿ⁺¹ −
 * θⁿ‖²_G/2 − (rⁿ⁺¹ − rⁿ)² ≤ 0. Variants ({@code variant}): {@code plain}; {@code restart}, r ← √(I(θⁿ) + C) before every
 * step; {@code relaxed}, r ← min(r, √(I(θⁿ) + C)) before every step (the relaxation of Jiang, Zhang and Zhao with
 * η = 0: Ẽ still never increases, and r stays consistent with I where I falls). History columns {@code r} and
 * {@code modified_energy}; r is saved with every checkpoint.
 */
public final class ScalarAuxiliaryVariable extends TimeStepper {
  private static final OptionSchema OPTIONS = declare(OptionSchema.builder())
      .number("lambda", 0.0, "λ of the linear part L = λ·I, treated implicitly").atLeast(0)
      .number("C", 1.0, "the constant C making I + C positive").positive()
      .choice("variant", "plain", "plain, restart (r ← √(I + C) every step) or relaxed (r ← min(r, √(I + C)))",
          List.of("plain", "restart", "relaxed"))
      .build();

  @Override
  public String id() {
    return "sav";
  }

  @Override
  public String description() {
    return "scalar auxiliary variable: θ implicit in λI, explicit in ∇I scaled by r/√(I + C); ½⟨θ,Lθ⟩ + r² never increases";
  }

  @Override
  public OptionSchema options() {
    return OPTIONS;
  }

  @Override
  public Optional<Refusal> refusal(VariationalProblem problem, DiscreteFlow flow) {
    boolean equalMasses = flow.particles().map(p -> p.masses().isEmpty()).orElse(false);
    return equalMasses ? Optional.empty() : Optional.of(new Refusal("solver.kind", "sav needs particles of equal mass"
        + " (its inner product is that of their metric G = I/m), and this discretization's flow has none"));
  }

  @Override
  protected Step start(SolveContext context, double h) {
    DiscreteFlow flow = context.flow();
    Map<String, Tensor> state = flow.state();
    double lambda = context.options().getDouble("lambda");
    double c = context.options().getDouble("C");
    String variant = context.options().getString("variant");
    double m = flow.particles().orElseThrow().count();
    List<String> positions = flow.particles().orElseThrow().positions(); // what moves: a frozen tensor is not θ
    return new Step() {
      private final double[] r = context.state().get("r").orElse(new double[] {Double.NaN});
      private long prepared = -1;

      /** s = √(I(θ^k) + C), I = E − (λ/2)⟨θ, θ⟩_G; r set at a new solve and by the variant, once per step. */
      private double s(long k, Evaluation eval) {
        double i = eval.energy() - lambda / 2 * squaredNorm() / m;
        if (!(i + c > 0)) {
          throw new DivergenceException(k, k * h, "I(θ) + C = " + (i + c) + " ≤ 0: raise solver.C above " + (-i));
        }
        double s = Math.sqrt(i + c);
        if (prepared != k) {
          prepared = k;
          if (Double.isNaN(r[0]) || variant.equals("restart")) {
            r[0] = s;
          } else if (variant.equals("relaxed")) {
            r[0] = Math.min(r[0], s);
          }
          context.state().put("r", r);
        }
        return s;
      }

      @Override
      public void advance(long k, Evaluation eval) {
        double s = s(k, eval);
        double gg = 0;
        double gTheta = 0;
        Map<String, Tensor> g = eval.velocity();
        for (Map.Entry<String, Tensor> e : g.entrySet()) {
          Tensor theta = state.get(e.getKey());
          e.getValue().scalei(-1).axpyi(-lambda, theta); // g = −v − λθ
          gg += e.getValue().squaredNorm();
          gTheta += e.getValue().dot(theta);
        }
        double shrink = 1 + h * lambda;
        r[0] = (r[0] - h * lambda * gTheta / m / (2 * s * shrink)) / (1 + h * gg / m / (2 * s * s * shrink));
        context.state().put("r", r);
        g.forEach((name, gi) -> {
          state.get(name).axpyi(-h * r[0] / s, gi).scalei(1 / shrink);
          gi.release();
        });
      }

      @Override
      public Map<String, Double> columns(long k, Evaluation eval) {
        s(k, eval);
        Map<String, Double> columns = new LinkedHashMap<>();
        columns.put("r", r[0]);
        columns.put("modified_energy", lambda / 2 * squaredNorm() / m + r[0] * r[0]);
        return columns;
      }

      /** @return |θ|² over the particles' positions */
      private double squaredNorm() {
        double sum = 0;
        for (String name : positions) {
          sum += state.get(name).squaredNorm();
        }
        return sum;
      }
    };
  }
}
