package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.varflow.api.solve.SolveContext;
import org.varflow.api.solve.SolveResult;
import org.varflow.api.solve.Solver;

/** An internal error (a bug in varflow or a plugin) is reported once, in one line, with exit code 1. */
class ErrorReportingTest {

  @Test
  void anInternalErrorIsOneLineAndExitCode1() {
    Cli cli = Cli.run(Cli.withPlugins(new Broken()), "run", "--set", "backend=jvm", "--set", "solver={kind: broken}",
        "--set", "data.train.n=50", "--set", "data.test.n=50", "--set", "discretization.width=4");
    assertThat(cli.exitCode()).isEqualTo(1);
    assertThat(cli.err()).isEqualTo("internal error: java.lang.IllegalStateException: a bug in the solver (please report"
        + " it; rerun with --verbose for the stack trace)\n");
  }

  /** A solver with a bug. */
  private static final class Broken implements Solver {
    @Override
    public String id() {
      return "broken";
    }

    @Override
    public String description() {
      return "throws";
    }

    @Override
    public SolveResult solve(SolveContext context) {
      throw new IllegalStateException("a bug in the solver");
    }
  }
}
