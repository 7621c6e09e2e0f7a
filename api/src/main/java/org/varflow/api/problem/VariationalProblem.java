package org.varflow.api.problem;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A learning problem stated once, in the continuum: minimise E = R + Σ regularizers over the parameter
 * function or density of {@code model}, with the risk R taken over the training measure.
 *
 * @param train training data (defines R)
 * @param test held-out data for reporting, or null
 * @param model the continuous model
 * @param loss the loss in R
 * @param regularizers added functionals, in spec order
 */
public record VariationalProblem(Dataset train, Dataset test, Model model, Loss loss, List<Regularizer> regularizers) {

  /** Copies the regularizer list. */
  public VariationalProblem {
    regularizers = List.copyOf(regularizers);
  }

  /**
   * @param dropped which regularizers to leave out (e.g. those the solver realizes itself)
   * @return this problem without them
   */
  public VariationalProblem without(Predicate<Regularizer> dropped) {
    return new VariationalProblem(train, test, model, loss, regularizers.stream().filter(dropped.negate()).toList());
  }

  /** @return the test data, if any */
  public Optional<Dataset> testData() {
    return Optional.ofNullable(test);
  }
}
