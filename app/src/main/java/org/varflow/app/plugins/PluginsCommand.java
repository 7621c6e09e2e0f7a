package org.varflow.app.plugins;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.varflow.api.plugin.Plugin;
import org.varflow.api.plugin.PluginException;
import org.varflow.api.plugin.PluginInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code varflow plugins}: lists the backends, discretizations, solvers, models and regularizers found, and
 * where from; {@code --describe ID} prints the options a plugin declares.
 */
@Command(name = "plugins", description = "List the plugins found (backends, discretizations, solvers, models, "
    + "regularizers), or describe one's options.")
public final class PluginsCommand implements Callable<Integer> {
  private final Plugins plugins;

  @Spec
  CommandSpec spec;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Option(names = "--describe", paramLabel = "ID", description = "Print the options of the plugin(s) with this id.")
  String describe;

  @Inject
  PluginsCommand(Plugins plugins) {
    this.plugins = plugins;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (describe != null) {
      return describe(out);
    }
    List<PluginInfo> rows = plugins.registry().describe();
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

  /** Prints, for each plugin with the id, its kind, description and declared options (the spec keys below its node). */
  private int describe(PrintWriter out) {
    boolean found = false;
    for (Map.Entry<String, List<? extends Plugin>> kind : plugins.registry().byKind().entrySet()) {
      for (Plugin p : kind.getValue()) {
        if (!p.id().equals(describe)) {
          continue;
        }
        if (found) {
          out.println();
        }
        found = true;
        out.printf("%s %s %s: %s%n", kind.getKey(), p.id(), p.version(), p.description());
        List<List<String>> rows = OptionRows.of(p.options(), "");
        if (rows.isEmpty()) {
          out.println("  (no options)");
          continue;
        }
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("OPTION", "TYPE", "DEFAULT", "ALLOWED", "MEANING"));
        table.addAll(rows);
        StringBuilder format = new StringBuilder(" ");
        for (int c = 0; c < 4; c++) {
          int column = c;
          format.append(" %-").append(table.stream().mapToInt(r -> r.get(column).length()).max().orElse(1)).append('s');
        }
        String line = format.append(" %s%n").toString();
        table.forEach(r -> out.printf(line, r.toArray()));
      }
    }
    out.flush();
    if (!found) {
      throw new PluginException("no plugin with id '" + describe + "'; ./varflow plugins lists the installed ones");
    }
    return 0;
  }
}
