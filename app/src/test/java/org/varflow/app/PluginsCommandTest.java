package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code varflow plugins --describe ID} and {@code varflow schema}. */
class PluginsCommandTest {

  @Test
  void describePrintsAPluginsOptions() {
    Cli cli = Cli.run("plugins", "--describe", "implicit-euler");
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(cli.out()).startsWith("solver implicit-euler ")
        .containsPattern("step +number +0.1 +> 0 +time step h")
        .containsPattern("max_inner +integer +1000 +≥ 1 ")
        .containsPattern("inner_step +number +h/\\(1 \\+ h·L̂\\) +> 0 ");
    Cli both = Cli.run("plugins", "--describe", "random-features");
    assertThat(both.out()).contains("discretization random-features", "model random-features", "features.scale");
    Cli missing = Cli.run("plugins", "--describe", "voronoi");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).isEqualTo("error: no plugin with id 'voronoi'; ./varflow plugins lists the installed ones\n");
  }

  @Test
  void schemaPrintsTheJsonSchemaOfASpec() throws Exception {
    Cli cli = Cli.run("schema");
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(new ObjectMapper().readTree(cli.out()).at("/properties/discretization/anyOf").size()).isEqualTo(9);
  }
}
