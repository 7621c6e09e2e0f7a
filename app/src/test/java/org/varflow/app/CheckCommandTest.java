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
    assertThat(cli.err()).isEqualTo("error: model.actvation: unknown key (known here: kind, activation, bias)\n");
  }

  /** The density model on a fixed grid: α-convex in H¹_ω; as α → 0 the report flags conditioning, then uniqueness. */
  @Test
  void densityReportFlagsConditioningAndUniquenessAsAlphaVanishes() {
    String[] base = {"check", ProjectRoot.example("density.yaml"), "--set", "backend=jvm", "--set", "discretization.points=17"};
    Cli ok = Cli.run(base);
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("H¹_ω(Ω)", "Neumann", "unique (λ-convex)", "e^{−0.00200000 t}", "well posed")
        .doesNotContain("ILL-CONDITIONED");
    Cli tiny = Cli.run(RunCommandTest.args(base, "--set", "regularizers[0].strength=1e-14"));
    assertThat(tiny.exitCode()).isZero();
    assertThat(tiny.out()).contains("ILL-CONDITIONED");
    Cli fewer = Cli.run(RunCommandTest.args(base, "--set", "regularizers=[]"));
    assertThat(fewer.exitCode()).isEqualTo(2);
    assertThat(fewer.err()).isEqualTo("error: regularizers: not well posed: λ = 0: no stability bound for the minimizer"
        + " under data perturbation; add regularization\n");
    Cli more = Cli.run(RunCommandTest.args(base, "--set", "regularizers=[]", "--set", "discretization.points=33"));
    assertThat(more.exitCode()).isEqualTo(2);
    assertThat(more.err()).isEqualTo("error: regularizers: not well posed: λ = 0 and 1089 unknowns > n = 400 data points:"
        + " the minimizer is not unique\n");
  }

  /** An explicit step at or above 2/L is reported with the numbers, though the problem itself is well posed. */
  @Test
  void anUnstableExplicitStepIsAWarningWithTheNumbers() {
    String[] base = {"check", ProjectRoot.example("random-features.yaml"), "--set", "backend=jvm", "--set",
        "solver={kind: explicit-euler, step: 5}"};
    Cli cli = Cli.run(base);
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(cli.out()).contains("well posed").containsPattern("solver explicit-euler +UNSTABLE");
    assertThat(cli.err()).matches("warning: solver.step: h = 5.00000 is at or above the largest stable explicit step"
        + " 2/L = [0-9.]+: the mode of λ_max grows by \\|1 − hL\\| = [0-9.]+ per step; take a smaller step or"
        + " implicit-euler\\n");
    Cli stable = Cli.run(RunCommandTest.args(base, "--set", "solver.step=0.5"));
    assertThat(stable.err()).isEmpty();
    assertThat(stable.out()).containsPattern("solver explicit-euler +stable on this problem");
  }

  /** w on the unit circle (d = 2), spectral Fourier ⊗ Legendre: the same α-convex report over S¹ × [b₀, b₁]. */
  @Test
  void circleDomainReport() {
    Cli cli = Cli.run("check", ProjectRoot.example("density.yaml"), "--set", "backend=jvm", "--set", "data.train.d=2",
        "--set", "data.test.d=2", "--set", "model.domain={kind: circle, radius: 1.5, lower: [-3], upper: [3]}",
        "--set", "discretization={kind: spectral, degree: 6}");
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(cli.out()).contains("circle S¹(r = 1.5) × [-3.0, 3.0]", "unique (λ-convex)", "well posed");
  }
}
