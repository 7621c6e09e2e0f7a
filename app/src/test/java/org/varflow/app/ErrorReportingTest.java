package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varflow.api.solve.SolveContext;
import org.varflow.api.solve.SolveResult;
import org.varflow.api.solve.Solver;

/** An internal error (a bug in varflow or a plugin) is reported once, in one line, with exit code 1. */
class ErrorReportingTest {
  @TempDir
  Path tmp;

  /** The run directory goes under a temporary one: the run starts (and writes its spec) before the solver fails. */
  @Test
  void anInternalErrorIsOneLineAndExitCode1() {
    Cli cli = Cli.run(Cli.withPlugins(new Broken()), "run", "--set", "backend=jvm", "--set", "solver={kind: broken}",
        "--set", "data.train.n=50", "--set", "data.test.n=50", "--set", "discretization.width=4", "--out",
        tmp.resolve("run").toString());
    assertThat(cli.exitCode()).isEqualTo(1);
    assertThat(cli.err()).isEqualTo("internal error: java.lang.IllegalStateException: a bug in the solver (please report"
        + " it; rerun with --verbose for the stack trace)\n");
    assertThat(tmp.resolve("run/spec.yaml")).exists();
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
