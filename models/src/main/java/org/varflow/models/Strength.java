package org.varflow.models;

import java.util.function.DoubleFunction;
import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.problem.Regularizer;
import org.varflow.api.problem.RegularizerKind;

/** A regularizer kind whose only option is the required {@code strength} ≥ 0 every built-in one has. */
abstract class Strength implements RegularizerKind {
  /** The options of a regularizer that has a strength only. */
  private static final OptionSchema OPTIONS = declare(OptionSchema.builder()).build();
  private final String id;
  private final String description;
  private final DoubleFunction<Regularizer> create;

  /** @param create the regularizer of a given strength */
  Strength(String id, String description, DoubleFunction<Regularizer> create) {
    this.id = id;
    this.description = description;
    this.create = create;
  }

  /** @return {@code options} with the required {@code strength} ≥ 0 */
  static OptionSchema.Builder declare(OptionSchema.Builder options) {
    return options.number("strength", null, "the factor multiplying the functional").atLeast(0).required();
  }

  @Override
  public final String id() {
    return id;
  }

  @Override
  public final String description() {
    return description;
  }

  @Override
  public OptionSchema options() {
    return OPTIONS;
  }

  @Override
  public Regularizer create(Options node) {
    return create.apply(node.getDouble("strength"));
  }
}
