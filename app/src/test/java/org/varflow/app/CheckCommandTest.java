package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code varflow check} validates without running and reports well-posedness. */
class CheckCommandTest {

  @Test
  void quickstartIsValidButNotConvex() {
    Cli cli = Cli.run("check", "--set", "backend=jvm");
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(cli.out()).contains("two-layer", "particles", "not λ-convex",
        "valid spec; well-posedness is not guaranteed for this model");
  }

  @Test
  void unknownKeysOutsideTheSolverAreRejected() {
    Cli cli = Cli.run("check", "--set", "backend=jvm", "--set", "model.actvation=tanh");
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).isEqualTo("error: model.actvation: unknown key\n");
  }
}
