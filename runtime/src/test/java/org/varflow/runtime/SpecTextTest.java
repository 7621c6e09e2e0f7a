package org.varflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.varflow.api.SpecException;

/**
 * A spec travels as text: parsed back from its YAML it is the same spec and runs to the same numbers; a YAML error
 * in the text names the spec and the line.
 */
class SpecTextTest {
  @Test
  void aSpecParsedFromItsYamlRunsToTheSameNumbers() throws Exception {
    Spec spec = Spec.quickstart().with("backend", "jvm").with("discretization.width", 16).with("solver.steps", 10);
    Spec back = Spec.parse("travelled", spec.toYaml(), Path.of(""));
    assertThat(back.root().asMap()).isEqualTo(spec.root().asMap());
    assertThat(back.name()).isEqualTo("travelled");
    Varflow varflow = Varflow.load(Path.of("no-plugins"));
    try (Run a = varflow.prepare(spec); Run b = varflow.prepare(back)) {
      assertThat(b.execute(null, RunListener.NONE).last().get("energy"))
          .isEqualTo(a.execute(null, RunListener.NONE).last().get("energy"));
    }
  }

  @Test
  void aYamlErrorNamesTheSpecAndTheLine() {
    Throwable e = catchThrowable(() -> Spec.parse("from-driver", "seed: 1\nsolver: {kind: heun\n", Path.of("")));
    assertThat(e).isInstanceOf(SpecException.class).hasMessageStartingWith("from-driver:").hasMessageContaining("line 2");
  }
}
