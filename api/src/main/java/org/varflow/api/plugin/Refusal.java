package org.varflow.api.plugin;

import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.varflow.api.problem.Model;
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
   * @param who e.g. {@code discretization 'particles'}
   * @param model which models it computes
   * @param regularizers the kinds of regularizer it computes
   * @return the first part of the problem it does not compute, else empty
   */
  public static Optional<Refusal> unlessComputes(VariationalProblem problem, String who, Predicate<Model> model,
      Set<String> regularizers) {
    if (!model.test(problem.model())) {
      return Optional.of(new Refusal("model.kind", "'" + problem.model().kind() + "' is not supported by " + who));
    }
    for (int i = 0; i < problem.regularizers().size(); i++) {
      String kind = problem.regularizers().get(i).kind();
      if (!regularizers.contains(kind)) {
        return Optional.of(new Refusal("regularizers[" + i + "].kind", "'" + kind + "' is not supported by " + who
            + (regularizers.isEmpty() ? " (it takes no regularizer)" : " (it takes " + String.join(", ", regularizers.stream().sorted().toList()) + ")")));
      }
    }
    return Optional.empty();
  }
}
