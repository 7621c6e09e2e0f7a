package org.varflow.api.problem;

/**
 * A continuous model: how a parameter function or density defines the predictor f(x). Discretizations
 * declare which models they support.
 */
public interface Model {
  /** @return the spec spelling of {@code model.kind}, e.g. {@code two-layer} */
  String kind();
}
