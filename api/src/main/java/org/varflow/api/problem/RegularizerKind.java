package org.varflow.api.problem;

import java.util.Optional;
import org.varflow.api.Options;
import org.varflow.api.plugin.Plugin;
import org.varflow.api.plugin.Refusal;

/**
 * A kind of regularizing functional ({@code regularizers[i].kind} = {@link #id()}): declares the options of
 * its node, builds the {@link Regularizer}, and may refuse problems it does not make sense in (a temperature
 * without a confining potential, say). Found with {@link java.util.ServiceLoader}:
 * {@code provides org.varflow.api.problem.RegularizerKind with ...}.
 */
public interface RegularizerKind extends Plugin {

  /**
   * @param node the {@code regularizers[i]} node, checked and completed by {@link #options()}
   * @return the regularizer
   * @throws org.varflow.api.SpecException naming the key whose value does not fit
   */
  Regularizer create(Options node);

  /**
   * @param problem the whole problem
   * @param index the position of this regularizer in {@code problem.regularizers()} (and in the spec)
   * @return why the regularizer cannot be part of this problem (e.g. another one it needs is missing), else empty
   */
  default Optional<Refusal> refusal(VariationalProblem problem, int index) {
    return Optional.empty();
  }
}
