package org.varflow.app.check;

import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.varflow.api.SpecException;
import org.varflow.app.SpecSource;
import org.varflow.app.plugins.Plugins;
import org.varflow.runtime.CheckReport;
import org.varflow.runtime.Run;
import org.varflow.runtime.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code varflow check SPEC}: validates a spec without running it and prints its well-posedness report.
 * Exit 0 when well posed, 2 with the reason when not.
 */
@Command(name = "check", description = "Validate a spec and print its well-posedness report (no run).")
public final class CheckCommand implements Callable<Integer> {
  private final Plugins plugins;

  @picocli.CommandLine.Spec
  CommandSpec command;

  @Mixin
  SpecSource spec;

  @Inject
  CheckCommand(Plugins plugins) {
    this.plugins = plugins;
  }

  @Override
  public Integer call() {
    try (Run run = plugins.varflow().prepare(spec.load())) {
      run.warnings().forEach(w -> command.commandLine().getErr().println("warning: " + w));
      CheckReport report = run.check();
      PrintWriter out = command.commandLine().getOut();
      report.rows().forEach((label, value) -> out.printf(Locale.ROOT, "%-46s %s%n", label,
          value instanceof Double d ? String.format(Locale.ROOT, "%.6g", d) : value));
      out.flush();
      report.warnings().forEach(w -> command.commandLine().getErr().println("warning: " + w));
      if (!report.wellPosed()) {
        throw new SpecException("regularizers", "not well posed: " + report.reason());
      }
      return 0;
    }
  }
}
