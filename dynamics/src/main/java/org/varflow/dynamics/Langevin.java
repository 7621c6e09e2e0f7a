package org.varflow.dynamics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.varflow.api.OptionSchema;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.flow.Particles;
import org.varflow.api.plugin.Refusal;
import org.varflow.api.problem.Entropy;
import org.varflow.api.problem.Regularizer;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.solve.SolveContext;
import org.varflow.api.tensor.Tensor;
import org.varflow.solvers.stepping.TimeStepper;

/**
 * Mean-field Langevin dynamics by Euler–Maruyama on the particle positions:
 * θ_j ← θ_j + h·v_j + √(2τh)·ξ_j, ξ_j ~ N(0, I) drawn from the run's seed ({@code seed("langevin-<tensor>", k)}), so
 * a resumed run draws the same noise. It realizes the problem's {@link Entropy} τ∫ρ log ρ (the particles compute
 * the rest); τ is the sum of the temperatures of the problem's entropy terms. History columns: {@code entropy}, the
 * Kozachenko–Leonenko estimate of ∫ρ log ρ from up to {@code entropy_samples} particles, and {@code free_energy}
 * = E + τ·entropy.
 */
public final class Langevin extends TimeStepper {
  private static final OptionSchema OPTIONS = declare(OptionSchema.builder())
      .integer("entropy_samples", 2000L, "particles the entropy estimate uses (its cost is quadratic in them)").atLeast(2)
      .build();

  @Override
  public String id() {
    return "langevin";
  }

  @Override
  public String description() {
    return "Euler–Maruyama θ ← θ + h·v + √(2τh)·ξ on the particles; realizes entropy τ∫ρ log ρ";
  }

  @Override
  public OptionSchema options() {
    return OPTIONS;
  }

  @Override
  public boolean realizes(Regularizer term) {
    return term instanceof Entropy;
  }

  @Override
  public Optional<Refusal> refusal(VariationalProblem problem, DiscreteFlow flow) {
    return flow.particles().isPresent() ? Optional.empty() : Optional.of(new Refusal("solver.kind", "langevin adds"
        + " noise to particle positions, and this discretization's flow has no particles"));
  }

  @Override
  protected Step start(SolveContext context, double h) {
    double tau = temperature(context);
    DiscreteFlow flow = context.flow();
    Particles particles = flow.particles().orElseThrow();
    Map<String, Tensor> state = flow.state();
    int samples = (int) Math.min(particles.count(), context.options().getLong("entropy_samples"));
    return new Step() {
      @Override
      public void advance(long k, Evaluation eval) {
        eval.velocity().forEach((name, v) -> {
          state.get(name).axpyi(h, v);
          v.release();
        });
        for (String name : particles.positions()) {
          Tensor theta = state.get(name);
          Tensor noise = theta.factory().normal(theta.precision(), context.seed("langevin-" + name, k), 0,
              Math.sqrt(2 * tau * h), theta.shape());
          theta.addi(noise);
          noise.release();
        }
      }

      @Override
      public Map<String, Double> columns(long k, Evaluation eval) {
        double negentropy = -KozachenkoLeonenko.entropy(positions(state, particles.positions(), samples), samples,
            dimension(state, particles.positions()));
        Map<String, Double> columns = new LinkedHashMap<>();
        columns.put("entropy", negentropy);
        columns.put("free_energy", eval.energy() + tau * negentropy);
        return columns;
      }
    };
  }

  /** @return τ = Σ of the temperatures of the problem's entropy terms (0 outside a run) */
  static double temperature(SolveContext context) {
    return context.problem().map(p -> p.regularizers().stream().filter(Entropy.class::isInstance)
        .mapToDouble(r -> ((Entropy) r).temperature()).sum()).orElse(0.0);
  }

  /** @return D, the coordinates of one particle: one per rank-1 position tensor, the columns of each matrix */
  static int dimension(Map<String, Tensor> state, List<String> positions) {
    return positions.stream().mapToInt(name -> state.get(name).shape().length == 1 ? 1 : state.get(name).cols()).sum();
  }

  /** @return the first {@code count} particles' positions θ_j = (rows j of each position tensor), count×D row-major */
  static double[] positions(Map<String, Tensor> state, List<String> positions, int count) {
    int d = dimension(state, positions);
    double[] out = new double[count * d];
    int offset = 0;
    for (String name : positions) {
      Tensor t = state.get(name);
      int width = t.shape().length == 1 ? 1 : t.cols();
      double[] values = t.toDoubleArray();
      for (int j = 0; j < count; j++) {
        System.arraycopy(values, j * width, out, j * d + offset, width);
      }
      offset += width;
    }
    return out;
  }
}
