package org.varflow.discretization.family;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.SpecException;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Discretization;
import org.varflow.api.flow.FlowContext;
import org.varflow.api.flow.Footprint;
import org.varflow.api.io.Npy;
import org.varflow.api.plugin.Refusal;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Tensor;
import org.varflow.particles.ParticleFlow;
import org.varflow.particles.ParticleInit;

/**
 * Conic particles: the Wasserstein–Fisher–Rao gradient flow of the mean-field network (Chizat, Math. Program. 2022;
 * Rotskoff et al. 2019). Each particle θ_j = (a_j, w_j) carries a mass μ_j; f = Σ_j μ_j a_j σ(w_j·x). The positions
 * move by transport at rate α ({@code transport}), θ̇_j = −α∇_θ V'(θ_j), and the masses grow or shrink by the
 * Fisher–Rao (birth–death) part at rate β ({@code reaction}), μ̇_j = −β μ_j V'(θ_j), where V' = δE/δρ is the first
 * variation: mass flows to particles where V' &lt; 0, away from those where it is positive, so the measure can leave
 * regions where plain particles stall. The metric is G = diag(μ_j/α on θ_j, 1/(βμ_j) on μ_j). With equal masses and
 * β = 0 this is {@code particles}. Masses start at 1/m, or from {@code init.npy}'s {@code mass.npy} when it has one,
 * and are saved as {@code params/mass.npy}. Options: those of {@code particles}, {@code transport} α ≥ 0 (default 1),
 * {@code reaction} β ≥ 0 (default 1).
 */
public final class ConicParticles implements Discretization {
  private static final OptionSchema OPTIONS = ParticleInit.declare(OptionSchema.builder())
      .number("transport", 1.0, "α, the rate of the positions' transport").atLeast(0)
      .number("reaction", 1.0, "β, the rate of the masses' birth and death").atLeast(0)
      .build();

  @Override
  public String id() {
    return "conic-particles";
  }

  @Override
  public String description() {
    return "conic particles (Wasserstein–Fisher–Rao): masses μ_j change by −βμV', positions move by −α∇V'";
  }

  @Override
  public OptionSchema options() {
    return OPTIONS;
  }

  @Override
  public Optional<Refusal> refusal(VariationalProblem problem) {
    return ParticleInit.refusal(problem, id());
  }

  /** {@link ParticleInit#footprint} with the masses, their velocity and two more m-vectors of the masses' step. */
  @Override
  public Optional<Footprint> footprint(VariationalProblem problem, Options options, int bytesPerElement) {
    return ParticleInit.footprint(problem, options, bytesPerElement, 3, 4, " and the masses");
  }

  @Override
  public DiscreteFlow discretize(VariationalProblem problem, Options options, FlowContext context) {
    Refusal.require(refusal(problem));
    Tensor[] aw = ParticleInit.initial(problem, options, context);
    int m = aw[0].rows();
    double[] mass = new double[m];
    Arrays.fill(mass, 1.0 / m);
    Options init = options.sub("init").orElseThrow();
    Path file = init.has("npy") ? Path.of(init.getString("npy")).resolve("mass.npy") : null;
    if (file != null && Files.exists(file)) {
      Npy.Array saved = Npy.readFinite(file);
      if (saved.shape().length != 1 || saved.shape()[0] != m || Arrays.stream(saved.data()).anyMatch(mu -> !(mu > 0))) {
        Tensor.releaseAll(aw);
        throw new SpecException(file.toString(), "expected " + m + " positive masses (shape (" + m + ")), got shape "
            + Arrays.toString(saved.shape()));
      }
      mass = saved.data();
    }
    Tensor mu = context.backend().tensors().of(context.precision(), mass, m);
    return new Conic(problem, aw[0], aw[1], mu, options.getDouble("transport"), options.getDouble("reaction"), context,
        ParticleInit.blocks(options));
  }

  /** The particle flow with masses. */
  private static final class Conic extends ParticleFlow {
    Conic(VariationalProblem problem, Tensor a, Tensor w, Tensor mass, double transport, double reaction,
        FlowContext context, Blocks blocks) {
      super(problem, a, w, mass, transport, reaction, context, blocks);
    }
  }
}
