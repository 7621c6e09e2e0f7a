package org.varflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {

  @Test
  void computedDefaultsAreWrittenBack() {
    Map<String, Object> solver = new LinkedHashMap<>(Map.of("step", 0.5));
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("solver", solver);
    Options root = Options.of("", tree);
    Options s = root.sub("solver").orElseThrow();
    assertThat(s.getDouble("step", 0.1)).isEqualTo(0.5);
    assertThat(s.getLong("steps", 1000)).isEqualTo(1000);
    assertThat(solver).containsEntry("steps", 1000L);
  }

  @Test
  void errorsNameTheFullKeyPath() {
    Map<String, Object> reg = new LinkedHashMap<>(Map.of("strength", "strong"));
    Map<String, Object> tree = new LinkedHashMap<>(Map.of("regularizers", List.of(reg)));
    Options r = Options.of("", tree).list("regularizers").get(0);
    assertThatThrownBy(() -> r.requireDouble("strength")).isInstanceOf(SpecException.class)
        .hasMessage("regularizers[0].strength: expected a number, got 'strong'");
    assertThatThrownBy(() -> r.requireString("kind")).hasMessage("regularizers[0].kind: is required");
    assertThatThrownBy(() -> r.getChoice("mode", "x", List.of("a", "b")))
        .hasMessage("regularizers[0].mode: 'x' is not one of a, b");
  }

  @Test
  void wholeNumbersRejectFractions() {
    Options o = Options.of("solver", new LinkedHashMap<>(Map.of("steps", 2.5)));
    assertThatThrownBy(() -> o.getLong("steps", 1)).hasMessage("solver.steps: expected a whole number, got '2.5'");
  }
}
