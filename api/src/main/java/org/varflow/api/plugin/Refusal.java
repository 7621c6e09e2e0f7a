package org.varflow.api.plugin;

import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.varflow.api.problem.Model;
import org.varflow.api.problem.Regularizer;
import org.varflow.api.problem.VariationalProblem;

/**
 * Why a plugin does not take a problem: the spec key at fault and the reason, e.g.
 * {@code regularizers[0].kind: 'sobolev' is not supported by discretization 'particles'}. A run stops
 * with it (exit code 2) instead of leaving a part of the problem out.
 *
 * @param key the full key of the spec value at fault
 * @param reason why, in words that name the plugin
 */
public record Refusal(String key, String reason) {

  /** @return {@code key: reason} */
  @Override
  public String toString() {
    return key + ": " + reason;
  }

  /**
   * @param refusal a plugin's answer
   * @throws org.varflow.api.SpecException naming the key at fault, if the plugin refused
   */
  public static void require(Optional<Refusal> refusal) {
    refusal.ifPresent(r -> {
      throw new org.varflow.api.SpecException(r.key(), r.reason());
    });
  }

  /**
   * The usual check of a discretization: it computes one kind of model and a fixed set of regularizers.
   *
   * @param who e.g. {@code discretization 'grid'}
   * @param model which models it computes
   * @param regularizers the kinds of regularizer it computes
   * @return the first part of the problem it does not compute, else empty
   */
  public static Optional<Refusal> unlessComputes(VariationalProblem problem, String who, Predicate<Model> model,
      Set<String> regularizers) {
    return unlessComputes(problem, who, model, r -> regularizers.contains(r.kind()), regularizers.isEmpty()
        ? "it takes no regularizer" : "it takes " + String.join(", ", regularizers.stream().sorted().toList()));
  }

  /**
   * The check of a discretization that computes regularizers by what they can do (e.g. every
   * {@link org.varflow.api.problem.ParticlePotential}).
   *
   * @param who e.g. {@code discretization 'particles'}
   * @param model which models it computes
   * @param computes which regularizers it computes
   * @param takes what it takes, in words, for the message (e.g. {@code it takes particle potentials: weight-decay, …})
   * @return the first part of the problem it does not compute, else empty
   */
  public static Optional<Refusal> unlessComputes(VariationalProblem problem, String who, Predicate<Model> model,
      Predicate<Regularizer> computes, String takes) {
    if (!model.test(problem.model())) {
      return Optional.of(new Refusal("model.kind", "'" + problem.model().kind() + "' is not supported by " + who));
    }
    for (int i = 0; i < problem.regularizers().size(); i++) {
      Regularizer r = problem.regularizers().get(i);
      if (!computes.test(r)) {
        return Optional.of(new Refusal("regularizers[" + i + "].kind", "'" + r.kind() + "' is not supported by " + who
            + " (" + takes + ")"));
      }
    }
    return Optional.empty();
  }

}
