package org.varflow.runtime.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.varflow.api.OptionSchema;

/** The JSON Schema of declared options: types, bounds, defaults, closed objects, one alternative per variant. */
class JsonSchemasTest {
  private static final OptionSchema GRID = OptionSchema.builder()
      .integer("points", 64L, "nodes per axis").atLeast(2)
      .number("ridge", 1e-3, "λ").positive()
      .choice("rule", "midpoint", "quadrature", List.of("midpoint", "trapezoid"))
      .node("init", "start", OptionSchema.builder()
          .variant("kind", "zeros", "u = 0", OptionSchema.EMPTY, true)
          .variant("file", null, "u from a file", OptionSchema.builder().path("file", "an .npy").build(), false)
          .build())
      .build();

  @Test
  @SuppressWarnings("unchecked")
  void eachObjectIsClosedAndEachVariantIsOneAlternative() {
    Map<String, Object> schema = JsonSchemas.of(GRID, "a grid");
    assertThat(schema).containsEntry("type", "object").containsEntry("additionalProperties", false)
        .containsEntry("description", "a grid");
    Map<String, Object> properties = (Map<String, Object>) schema.get("properties");
    assertThat((Map<String, Object>) properties.get("points")).containsEntry("type", "integer")
        .containsEntry("minimum", 2.0).containsEntry("default", 64L);
    assertThat((Map<String, Object>) properties.get("ridge")).containsEntry("exclusiveMinimum", 0.0);
    assertThat((Map<String, Object>) properties.get("rule")).containsEntry("enum", List.of("midpoint", "trapezoid"));
    List<Map<String, Object>> init = (List<Map<String, Object>>) ((Map<String, Object>) properties.get("init")).get("oneOf");
    assertThat(init).hasSize(2);
    assertThat((Map<String, Object>) init.get(0).get("properties")).containsEntry("kind", Map.of("const", "zeros"));
    assertThat(init.get(1)).containsEntry("required", List.of("file")).containsEntry("additionalProperties", false);
  }
}
