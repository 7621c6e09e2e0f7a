package org.varflow.dynamics;

import java.util.Optional;
import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.plugin.Refusal;
import org.varflow.api.problem.Entropy;
import org.varflow.api.problem.Regularizer;
import org.varflow.api.problem.RegularizerKind;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.problem.WeightDecay;

/**
 * {@code regularizers[i].kind: entropy}: τ ∫ ρ log ρ with {@code temperature} τ &gt; 0. The free energy
 * E + τ∫ρ log ρ has a unique minimizer, a Gibbs-like density, only when something confines ρ: the problem must have
 * a {@code weight-decay} with κ &gt; 0. No particle method computes the entropy; the solver {@code langevin}
 * realizes it.
 */
public final class EntropyKind implements RegularizerKind {
  static final String KIND = "entropy";
  private static final OptionSchema OPTIONS = OptionSchema.builder()
      .number("temperature", null, "τ, the temperature multiplying ∫ρ log ρ").positive().required()
      .build();

  /** The entropy term of temperature τ. */
  record Term(double temperature) implements Entropy {
    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public double strength() {
      return temperature;
    }
  }

  @Override
  public String id() {
    return KIND;
  }

  @Override
  public String description() {
    return "τ ∫ ρ log ρ (needs weight-decay κ > 0; realized by the solver langevin)";
  }

  @Override
  public OptionSchema options() {
    return OPTIONS;
  }

  @Override
  public Regularizer create(Options node) {
    return new Term(node.getDouble("temperature"));
  }

  /** Refused without a weight decay of positive strength, which confines the Gibbs density. */
  @Override
  public Optional<Refusal> refusal(VariationalProblem problem, int index) {
    boolean confined = problem.regularizers().stream().anyMatch(r -> r instanceof WeightDecay w && w.strength() > 0);
    return confined ? Optional.empty() : Optional.of(new Refusal("regularizers[" + index + "].kind", "the entropy"
        + " needs a confining weight-decay with strength κ > 0 among the regularizers (without it the free energy has"
        + " no minimizer): add {kind: weight-decay, strength: κ}"));
  }
}
