package org.varflow.discretization.family;

import java.util.Optional;
import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Discretization;
import org.varflow.api.flow.FlowContext;
import org.varflow.api.flow.Footprint;
import org.varflow.api.plugin.Refusal;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Tensor;
import org.varflow.particles.ParticleFlow;
import org.varflow.particles.ParticleInit;

/**
 * The smoothed particle method: ρ ≈ (1/m) Σ_j N(θ_j, s²I), so that f(x) = (1/m) Σ_j a_j φ_s(w_j, x) with
 * φ_s(w, x) = E_ξ σ((w + sξ)·x) (the outer weight's noise averages out, f being linear in a). The expectation is
 * taken over J fixed draws ξ_1..ξ_J ~ N(0, I) per particle ({@code draws}, common random numbers drawn from the
 * run's seed), in antithetic pairs (ξ, −ξ): then the odd orders of s cancel and the smoothed flow approaches
 * {@code particles} like s² as s → 0 (with an odd J, like s). Ψ, the slope, is the same average of σ'. Options: those
 * of {@code particles}, {@code smoothing} s ≥ 0 (default 0.1), {@code draws} J ≥ 1 (default 8).
 */
public final class SmoothedParticles implements Discretization {
  private static final OptionSchema OPTIONS = ParticleInit.declare(OptionSchema.builder())
      .number("smoothing", 0.1, "s, the standard deviation of each particle's Gaussian").atLeast(0)
      .integer("draws", 8L, "J draws per particle and evaluation, in antithetic pairs").atLeast(1)
      .build();

  @Override
  public String id() {
    return "smoothed-particles";
  }

  @Override
  public String description() {
    return "smoothed particles ρ ≈ (1/m) Σ N(θ_j, s²I): σ averaged over J fixed draws w_j + sξ";
  }

  @Override
  public OptionSchema options() {
    return OPTIONS;
  }

  @Override
  public Optional<Refusal> refusal(VariationalProblem problem) {
    return ParticleInit.refusal(problem, id());
  }

  /** {@link ParticleInit#footprint} with four n×β arrays per block (the sums over the draws) and the J draws of w. */
  @Override
  public Optional<Footprint> footprint(VariationalProblem problem, Options options, int bytesPerElement) {
    int draws = options.getInt("draws");
    return ParticleInit.footprint(problem, options, bytesPerElement, 4, (double) draws * (problem.train().d() + 1),
        " and " + draws + " draws of m×p");
  }

  @Override
  public DiscreteFlow discretize(VariationalProblem problem, Options options, FlowContext context) {
    Refusal.require(refusal(problem));
    Tensor[] aw = ParticleInit.initial(problem, options, context);
    double s = options.getDouble("smoothing");
    Tensor[] xi = new Tensor[options.getInt("draws")];
    for (int k = 0; k < xi.length; k++) {
      xi[k] = k % 2 == 1 ? xi[k - 1].scale(-1) // the antithetic partner −ξ
          : context.backend().tensors().normal(context.precision(), context.seed() + 1 + k, 0, 1, aw[1].shape());
    }
    return new Smoothed(problem, aw[0], aw[1], context, ParticleInit.blocks(options), s, xi);
  }

  /** The particle flow with φ_s and its slope averaged over the draws: Φ = (1/J) Σ_k σ(X (W + sΞ_k)ᵀ). */
  private static final class Smoothed extends ParticleFlow {
    private final double s;
    private final Tensor[] xi;

    Smoothed(VariationalProblem problem, Tensor a, Tensor w, FlowContext context, Blocks blocks, double s, Tensor[] xi) {
      super(problem, a, w, context, blocks);
      this.s = s;
      this.xi = xi;
    }

    @Override
    protected Features features(Tensor inputs, Tensor w, int first, boolean withSlopes) {
      Tensor values = null;
      Tensor slopes = null;
      for (Tensor draw : xi) {
        Tensor noise = w.rows() == draw.rows() ? draw : draw.rows(first, first + w.rows());
        Tensor moved = w.copy().axpyi(s, noise);
        if (noise != draw) {
          noise.release();
        }
        Features f = super.features(inputs, moved, first, withSlopes);
        moved.release();
        values = accumulate(values, f.values());
        slopes = withSlopes ? accumulate(slopes, f.slopes()) : null;
      }
      double mean = 1.0 / xi.length;
      return new Features(values.scalei(mean), slopes == null ? null : slopes.scalei(mean));
    }

    @Override
    public void close() {
      Tensor.releaseAll(xi);
      super.close();
    }
  }
}
