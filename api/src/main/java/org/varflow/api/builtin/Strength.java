package org.varflow.api.builtin;

import org.varflow.api.OptionSchema;

/** The {@code strength} every built-in regularizer has. */
final class Strength {
  /** The options of a regularizer that has a strength only. */
  static final OptionSchema OPTIONS = declare(OptionSchema.builder()).build();

  private Strength() {}

  /** @return {@code options} with the required {@code strength} ≥ 0 */
  static OptionSchema.Builder declare(OptionSchema.Builder options) {
    return options.number("strength", null, "the factor multiplying the functional").atLeast(0).required();
  }
}
