package org.varflow.app.run;

import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.varflow.api.SpecException;
import org.varflow.app.SpecSource;
import org.varflow.app.plugins.Plugins;
import org.varflow.runtime.Run;
import org.varflow.runtime.RunDirectory;
import org.varflow.runtime.RunListener;
import org.varflow.runtime.RunResult;
import org.varflow.runtime.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code varflow run [SPEC]}: discretize the spec's continuous problem, solve the flow, and leave a run
 * directory with {@code spec.yaml}, {@code history.csv}, {@code summary.json} and {@code params/*.npy}; for a
 * density also the exported network ({@code params/network/}, trained in {@code network/}) and, for a
 * two-dimensional Ω, {@code plots/}.
 */
@Command(name = "run", description = "Discretize and solve a spec (no SPEC: the bundled quickstart).")
public final class RunCommand implements Callable<Integer> {
  static final int DIVERGED = 3;
  /** The exit code of a run stopped by SIGINT (128 + 2), as the JVM reports it after a signal. */
  static final int INTERRUPTED = 130;
  /** How long a signal waits for the run to keep its parameters, checkpoint and summary. */
  private static final long KEEP_SECONDS = 60;
  private static final String OUT = "--out";
  private static final Path RUNS = Path.of("runs");

  private final Plugins plugins;

  @picocli.CommandLine.Spec
  CommandSpec command;

  @Mixin
  SpecSource source;

  @Option(names = "--out", paramLabel = "DIR", description = "Run directory: new or empty (default runs/<time>-<spec"
      + " name>, unique).")
  Path out;

  @Option(names = "--force", description = "Replace the earlier run in the --out directory.")
  boolean force;

  @Option(names = "--resume", paramLabel = "DIR", description = "Continue the interrupted or killed run in DIR from"
      + " its last checkpoint (no SPEC or other option with it).")
  Path resume;

  @Option(names = "--backend", paramLabel = "ID", description = "Backend id or auto (overrides the spec).")
  String backend;

  @Inject
  RunCommand(Plugins plugins) {
    this.plugins = plugins;
  }

  @Override
  public Integer call() throws IOException {
    if (backend != null) {
      source.set("backend=" + backend);
    }
    Spec spec;
    if (resume != null) {
      if (source.given() || out != null || force) {
        throw new SpecException("--resume", "continues the run as it was specified: no SPEC, --set, --backend, --out"
            + " or --force with it");
      }
      if (!Files.isRegularFile(resume.resolve("spec.yaml"))) {
        throw new SpecException("--resume", resume + " is not a run directory (it holds no spec.yaml)");
      }
      Optional<String> status = RunDirectory.completed(resume);
      if (status.isPresent()) {
        command.commandLine().getOut().println("the run in " + resume + " is complete (status " + status.get()
            + "): nothing to resume");
        return 0;
      }
      spec = RunDirectory.spec(resume);
    } else {
      spec = source.load();
      if (out != null) {
        RunDirectory.check(out, force, OUT);
      }
    }
    try (Run run = plugins.varflow().prepare(spec)) {
      PrintWriter err = command.commandLine().getErr();
      run.warnings().forEach(w -> err.println("warning: " + w));
      Path dir = resume != null ? resume
          : out != null ? RunDirectory.prepare(out, force, OUT) : RunDirectory.createUnique(RUNS, spec.name());
      RunListener listener = System.console() != null ? new ProgressBarListener() : new ProgressLineListener(err);
      // SIGINT/SIGTERM: the run stops after its current step and keeps what it has; the JVM exits once it has
      CountDownLatch kept = new CountDownLatch(1);
      Thread onSignal = new Thread(() -> {
        run.interrupt();
        awaitQuietly(kept);
      }, "varflow-interrupt");
      Runtime.getRuntime().addShutdownHook(onSignal);
      try {
        return report(resume != null ? run.resume(dir, listener) : run.execute(dir, listener), dir);
      } finally {
        kept.countDown();
        try {
          Runtime.getRuntime().removeShutdownHook(onSignal);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running: it returns now that the run has kept its results
        }
      }
    }
  }

  /** Prints the outcome of a run and returns its exit code. */
  private int report(RunResult result, Path dir) {
    if (result.failure().isPresent()) {
      return failed("", result.failure().get(), dir);
    }
    if (result.status().equals("interrupted")) {
      command.commandLine().getErr().println(result.interruption().orElseThrow() + "; " + (result.resumable()
          ? "parameters, a checkpoint and the summary are kept in " + dir + "; continue with: varflow run --resume "
          + dir : "parameters and the summary are kept in " + dir + "; the solver keeps no checkpoint, so the run"
          + " cannot be resumed"));
      return INTERRUPTED;
    }
    PrintWriter console = command.commandLine().getOut();
    result.report(console);
    console.printf("run directory: %s%n", dir);
    console.flush();
    return result.networkFailure().isPresent() ? failed("network training ", result.networkFailure().get(), dir) : 0;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(KEEP_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Reports a failed run ({@code what} names it), with what its directory keeps, and returns its exit code. */
  private int failed(String what, RuntimeException failure, Path dir) {
    Path kept = what.isEmpty() ? dir : dir.resolve("network");
    command.commandLine().getErr().println("error: run failed: " + what + failure.getMessage() + "; "
        + (Files.exists(kept.resolve("history.csv")) ? "history and summary" : "spec and summary (nothing was recorded)")
        + " kept in " + kept);
    return DIVERGED;
  }
}
