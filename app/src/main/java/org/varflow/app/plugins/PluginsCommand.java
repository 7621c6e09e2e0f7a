package org.varflow.app.plugins;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.varflow.api.plugin.PluginInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code varflow plugins}: lists the backends, discretizations and solvers found, and where from. */
@Command(name = "plugins", description = "List the backends, discretizations and solvers found on the module path.")
public final class PluginsCommand implements Callable<Integer> {
  private final Plugins plugins;

  @Spec
  CommandSpec spec;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Inject
  PluginsCommand(Plugins plugins) {
    this.plugins = plugins;
  }

  @Override
  public Integer call() throws Exception {
    List<PluginInfo> rows = plugins.registry().describe();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
    } else {
      String format = "%-15s %-15s %-14s %-36s %s%n";
      out.printf(format, "KIND", "ID", "VERSION", "MODULE", "STATUS");
      for (PluginInfo p : rows) {
        out.printf(format, p.kind(), p.id(), p.version(), p.module(), p.status());
      }
    }
    out.flush();
    return 0;
  }
}
