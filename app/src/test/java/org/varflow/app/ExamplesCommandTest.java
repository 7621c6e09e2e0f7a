package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code varflow examples} lists the gallery; {@code --example NAME} loads one for check, run and study, an unknown
 * name is exit 2 naming the examples, and a SPEC with it is exit 2.
 */
class ExamplesCommandTest {

  @Test
  void examplesListsEveryEntryWithItsKindAndDescription() {
    Cli cli = Cli.run("examples");
    assertThat(cli.exitCode()).isZero();
    assertThat(cli.out()).contains("width-law").contains("convex-decay").contains("sampled-networks")
        .containsPattern("(?m)^convex-decay\\s+study\\s+\\(b\\) Exponential decay");
  }

  @Test
  void checkLoadsAnExampleWithItsOverrides() {
    Cli cli = Cli.run("check", "--example", "convex-decay", "--set", "backend=jvm");
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(cli.out()).contains("e^{−0.100000 t}");
  }

  @Test
  void anUnknownExampleIsExitTwoNamingTheExamples() {
    Cli cli = Cli.run("run", "--example", "nope");
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).contains("--example: no example 'nope'; the examples are convex-decay, density-grid,")
        .contains("width-law");
    Cli study = Cli.run("study", "--example", "nope");
    assertThat(study.exitCode()).isEqualTo(2);
  }

  @Test
  void aSpecFileAndAnExampleTogetherAreExitTwo() {
    Cli cli = Cli.run("run", "examples/density.yaml", "--example", "width-law");
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).contains("--example: give a SPEC file or --example NAME, not both");
  }
}
