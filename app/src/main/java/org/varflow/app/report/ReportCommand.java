package org.varflow.app.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.varflow.runtime.report.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;

/** {@code varflow report DIR}: writes {@code DIR/report.html} for a run or a study directory ({@link Report}). */
@Command(name = "report", description = "Write DIR/report.html: one self-contained page (spec, summary, rates, plots"
    + " embedded) for a run or a study directory.")
public final class ReportCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  CommandSpec command;

  @Parameters(paramLabel = "DIR", description = "A run directory or a study directory.")
  Path dir;

  @Override
  public Integer call() throws IOException {
    command.commandLine().getOut().println("report: " + Report.write(dir));
    return 0;
  }
}
