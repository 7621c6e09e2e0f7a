package org.varflow.api.problem;

import java.util.List;
import java.util.Optional;

/**
 * A continuous model: how a parameter function or density defines the predictor f(x). Discretizations
 * declare which models they support.
 */
public interface Model {
  /** @return the spec spelling of {@code model.kind}, e.g. {@code two-layer} */
  String kind();

  /**
   * @param regularizers the problem's regularizers
   * @return what theory says about the convexity of the energy with these regularizers (geometry, λ, the
   *     flow's decay modulus, the stability constant), for the well-posedness report; empty when nothing
   *     is known (no λ-convexity, e.g. over parameter measures)
   */
  default Optional<Convexity> convexity(List<Regularizer> regularizers) {
    return Optional.empty();
  }
}
