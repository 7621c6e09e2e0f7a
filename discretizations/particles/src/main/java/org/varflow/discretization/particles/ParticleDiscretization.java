package org.varflow.discretization.particles;

import java.util.Optional;
import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Discretization;
import org.varflow.api.flow.Footprint;
import org.varflow.api.flow.FlowContext;
import org.varflow.api.plugin.Refusal;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Tensor;
import org.varflow.particles.ParticleFlow;
import org.varflow.particles.ParticleInit;

/**
 * Monte Carlo particles θ_j = (a_j, w_j), j = 1..m, of the parameter measure of the mean-field two-layer
 * network: f(x) = (1/m) Σ_j a_j σ(w_j·x), with the particle ODE dθ_j/dt = −m∇_{θ_j}E.
 *
 * <p>Options: those of {@link ParticleInit}. The flow is the exported {@link ParticleFlow} itself.
 */
public final class ParticleDiscretization implements Discretization {
  private static final OptionSchema OPTIONS = ParticleInit.declare(OptionSchema.builder()).build();

  @Override
  public String id() {
    return "particles";
  }

  @Override
  public String description() {
    return "mean-field particles θ_j=(a_j,w_j): f = (1/m) Σ a_j σ(w_j·x), dθ_j/dt = −m∇_{θ_j}E";
  }

  @Override
  public OptionSchema options() {
    return OPTIONS;
  }

  /** Computes the two-layer model with every regularizer that is a particle potential (weight decay, …). */
  @Override
  public Optional<Refusal> refusal(VariationalProblem problem) {
    return ParticleInit.refusal(problem, id());
  }

  /** {@link ParticleInit#footprint}: three n×β activations per block. */
  @Override
  public Optional<Footprint> footprint(VariationalProblem problem, Options options, int bytesPerElement) {
    return ParticleInit.footprint(problem, options, bytesPerElement, 3, 0, "");
  }

  @Override
  public DiscreteFlow discretize(VariationalProblem problem, Options options, FlowContext context) {
    Refusal.require(refusal(problem));
    Tensor[] aw = ParticleInit.initial(problem, options, context);
    return new ParticleFlow(problem, aw[0], aw[1], context, ParticleInit.blocks(options));
  }
}
