package org.varflow.app.plugins;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code varflow schema}: the JSON Schema of a spec for the installed plugins, for YAML editors to complete
 * and check specs with ({@code varflow schema > spec.schema.json}).
 */
@Command(name = "schema", description = "Print the JSON Schema of a spec for the installed plugins.")
public final class SchemaCommand implements Callable<Integer> {
  private final Plugins plugins;

  @Spec
  CommandSpec spec;

  @Inject
  SchemaCommand(Plugins plugins) {
    this.plugins = plugins;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(
        plugins.varflow().schema()));
    out.flush();
    return 0;
  }
}
