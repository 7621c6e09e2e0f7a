package org.varflow.app.examples;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.varflow.runtime.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code varflow examples}: the gallery of bundled example specs, one line each (name, run or study, what it shows),
 * and how to run them.
 */
@Command(name = "examples", description = "List the bundled example specs (the gallery): varflow run --example NAME,"
    + " or varflow study --example NAME for a study.")
public final class ExamplesCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  CommandSpec command;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    int width = Spec.examples().stream().mapToInt(e -> e.name().length()).max().orElse(0);
    for (Spec.Example e : Spec.examples()) {
      out.printf("%-" + width + "s  %-5s  %s%n", e.name(), e.study() ? "study" : "run", e.description());
    }
    out.println();
    out.println("varflow run --example NAME      runs a run example; varflow study --example NAME runs a study example"
        + " (its spec's study block: vary, seeds, metric, fit, reference)");
    out.println("varflow check --example NAME    checks one; --set KEY=VALUE and --vary apply as to a spec file");
    out.flush();
    return 0;
  }
}
