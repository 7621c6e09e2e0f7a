package org.varflow.app.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.varflow.api.OptionSchema;

/** The rows of {@code plugins --describe}: type, default, allowed values and doc, nested names, variants. */
class OptionRowsTest {
  @Test
  void everyOptionHasARowAndEachVariantItsSelectorRow() {
    OptionSchema schema = OptionSchema.builder()
        .integer("steps", 1000L, "how many").atLeast(1)
        .number("share", null, "optional").atLeast(0).atMost(1)
        .choice("order", "first", "scheme", List.of("first", "second"))
        .node("noise", "the noise", OptionSchema.builder()
            .variant("kind", "white", "i.i.d.", OptionSchema.builder().number("sigma", 1.0, "sd").positive().build(), true)
            .build())
        .build();
    assertThat(OptionRows.of(schema, "")).containsExactly(
        List.of("steps", "integer", "1000", "≥ 1", "how many"),
        List.of("share", "number", "", "in [0, 1]", "optional"),
        List.of("order", "choice", "first", "first | second", "scheme"),
        List.of("noise", "node", "", "", "the noise"),
        List.of("noise.kind: white", "variant", "default", "", "i.i.d."),
        List.of("noise.sigma", "number", "1.0", "> 0", "sd"));
  }
}
