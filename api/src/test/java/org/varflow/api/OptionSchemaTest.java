package org.varflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Declared options: checking, defaults, variants and paths. */
class OptionSchemaTest {
  /** A node like a discretization's: a counted width, a positive scale, a choice, and an init with two variants. */
  private static final OptionSchema SCHEMA = OptionSchema.builder()
      .integer("width", 256L, "particles").atLeast(1)
      .number("scale", 1.0, "spread").positive()
      .number("fraction", null, "optional share").atLeast(0).atMost(1)
      .choice("method", "auto", "how", List.of("auto", "exact"))
      .node("init", "start", OptionSchema.builder()
          .variant("kind", "gaussian", "random", OptionSchema.builder().number("a_scale", 1.0, "sd").atLeast(0).build(), true)
          .variant("npy", null, "from files", OptionSchema.builder().path("npy", "directory").build(), false)
          .build())
      .build();

  @Test
  void staticDefaultsAreWrittenAndTheDefaultVariantIsSelected() {
    Options node = SCHEMA.node("discretization", Map.of("scale", 2));
    assertThat(node.asMap()).containsEntry("width", 256L).containsEntry("scale", 2).containsEntry("method", "auto")
        .doesNotContainKey("fraction");
    assertThat(node.sub("init").orElseThrow().asMap()).containsEntry("kind", "gaussian").containsEntry("a_scale", 1.0);
    assertThat(node.getInt("width")).isEqualTo(256);
  }

  @Test
  void aPresenceVariantTakesItsOwnKeysOnlyAndPathsResolveAgainstTheBaseDirectory() {
    Options node = Options.of("discretization", Options.mutableCopy(Map.of("init", Map.of("npy", "runs/a/params"))));
    SCHEMA.apply(node, Path.of("/data/specs"));
    assertThat(node.sub("init").orElseThrow().asMap()).containsOnly(Map.entry("npy", "/data/specs/runs/a/params"));
    assertThatThrownBy(() -> SCHEMA.node("discretization", Map.of("init", Map.of("npy", "x", "a_scale", 2))))
        .isInstanceOf(SpecException.class).hasMessageStartingWith("discretization.init.a_scale: unknown key for npy");
  }

  @Test
  void errorsNameTheKeyAndSayWhatIsAllowed() {
    assertThatThrownBy(() -> SCHEMA.node("d", Map.of("widht", 3))).isInstanceOf(SpecException.class)
        .hasMessage("d.widht: unknown key (known here: width, scale, fraction, method, init)");
    assertThatThrownBy(() -> SCHEMA.node("d", Map.of("width", 0))).hasMessage("d.width: must be ≥ 1, got 0");
    assertThatThrownBy(() -> SCHEMA.node("d", Map.of("width", 2.5))).hasMessage("d.width: expected a whole number, got '2.5'");
    assertThatThrownBy(() -> SCHEMA.node("d", Map.of("scale", 0))).hasMessage("d.scale: must be > 0, got 0");
    assertThatThrownBy(() -> SCHEMA.node("d", Map.of("scale", "NaN")))
        .hasMessage("d.scale: must be a finite number, got NaN");
    assertThatThrownBy(() -> SCHEMA.node("d", Map.of("scale", Double.POSITIVE_INFINITY)))
        .hasMessage("d.scale: must be a finite number, got Infinity");
    assertThatThrownBy(() -> SCHEMA.node("d", Map.of("fraction", 1.5))).hasMessage("d.fraction: must be in [0, 1], got 1.5");
    assertThatThrownBy(() -> SCHEMA.node("d", Map.of("method", "fast"))).hasMessage("d.method: 'fast' is not one of auto, exact");
    assertThatThrownBy(() -> SCHEMA.node("d", Map.of("init", Map.of("kind", "uniform"))))
        .hasMessage("d.init.kind: 'uniform' is not one of gaussian");
    OptionSchema required = OptionSchema.builder().number("strength", null, "α").atLeast(0).required().build();
    assertThatThrownBy(() -> required.node("regularizers[0]", Map.of())).hasMessage("regularizers[0].strength: is required (α)");
  }

  @Test
  void textNumbersAreConvertedAndTheSameNodeCanBeCheckedTwice() {
    Options node = SCHEMA.node("d", Map.of("scale", "0.5", "width", "12"));
    assertThat(node.getDouble("scale")).isEqualTo(0.5);
    assertThat(node.getInt("width")).isEqualTo(12);
    Map<String, Object> before = Options.mutableCopy(node.asMap());
    SCHEMA.apply(node, null);
    assertThat(node.asMap()).isEqualTo(before);
  }
}
