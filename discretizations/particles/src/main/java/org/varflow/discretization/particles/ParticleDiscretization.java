package org.varflow.discretization.particles;

import java.util.Locale;
import java.util.Optional;
import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Discretization;
import org.varflow.api.flow.Footprint;
import org.varflow.api.flow.FlowContext;
import org.varflow.api.plugin.Refusal;
import org.varflow.api.problem.Dataset;
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

  /**
   * The arrays of a run at its peak, released ones included (backends keep them for the next step), in the blocked
   * layout of {@link ParticleFlow}: Z_b, Φ_b and Ψ_b of a block of β particles (n×β each), and Z_b and Φ_b of the test
   * predictions (n_t×β each) when the test set has another size; Φ and Ψ of every block (2 n×m) only with
   * {@code activations: keep} (with {@code auto} the flow keeps them only when they fit); a, W, their velocity (kept
   * for reuse by a backend's pool once released), the copies {@code parameters()} makes and their host arrays when a
   * run writes them (m×(d+1) each); the inputs as tensors, with the bias column, and X⊙r (n×(d+1) and n_t×(d+1) at
   * most each).
   */
  @Override
  public Optional<Footprint> footprint(VariationalProblem problem, Options options, int bytesPerElement) {
    int n = problem.train().n();
    int nTest = problem.testData().map(Dataset::n).orElse(0);
    int d = problem.train().d() + 1;
    int m = ParticleInit.width(options);
    ParticleFlow.Blocks blocks = ParticleInit.blocks(options);
    int block = blocks.size(n, m, bytesPerElement);
    double kept = blocks.activations() == ParticleFlow.Activations.KEEP ? 2.0 * n * m : 0;
    double testActivations = nTest == n ? 0 : 2.0 * nTest * block;
    double elements = 3.0 * n * block + kept + testActivations + 5.0 * m * (d + 1.0) + 3.0 * n * d + 2.0 * nTest * d;
    return Optional.of(Footprint.of(elements, bytesPerElement, options.keyPath("width"), String.format(Locale.ROOT,
        "3 n×β activations%s%s, n = %d, m = %d, β = %d", kept > 0 ? " and 2 n×m kept" : "",
        testActivations > 0 ? " and 2 n_t×β" : "", n, m, block)));
  }

  @Override
  public DiscreteFlow discretize(VariationalProblem problem, Options options, FlowContext context) {
    Refusal.require(refusal(problem));
    Tensor[] aw = ParticleInit.initial(problem, options, context);
    return new ParticleFlow(problem, aw[0], aw[1], context, ParticleInit.blocks(options));
  }
}
