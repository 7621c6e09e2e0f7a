package org.varflow.models;

import java.util.Arrays;
import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.tensor.Activation;

/** The {@code activation} option the built-in models share. */
final class Activations {
  private Activations() {}

  /** @return {@code options} with {@code activation}: one of the activations, default relu */
  static OptionSchema.Builder declare(OptionSchema.Builder options) {
    return options.choice("activation", Activation.RELU.id(), "σ",
        Arrays.stream(Activation.values()).map(Activation::id).toList());
  }

  /** @return the activation of a checked node */
  static Activation read(Options node) {
    return Activation.parse(node.getString("activation"));
  }
}
