package org.varflow.app;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.util.Modules;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.varflow.api.plugin.Plugin;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.api.tensor.Backend;
import org.varflow.app.plugins.Plugins;
import picocli.CommandLine;

/** Runs the launcher in-process and captures what it prints. */
record Cli(int exitCode, String out, String err) {

  static Cli run(String... args) {
    return run(Guice.createInjector(new VarflowModule()), args);
  }

  /** @return the discretizations and solvers found on the module path, with {@code backends} as the only backends */
  static PluginRegistry withBackends(Backend... backends) {
    PluginRegistry found = new Plugins().registry();
    List<Plugin> plugins = new ArrayList<>(List.of(backends));
    plugins.addAll(found.discretizations());
    plugins.addAll(found.solvers());
    plugins.addAll(found.models());
    plugins.addAll(found.regularizers());
    return PluginRegistry.of(plugins);
  }

  /** @return the plugins found on the module path, and {@code extra} */
  static PluginRegistry withPlugins(Plugin... extra) {
    PluginRegistry found = new Plugins().registry();
    List<Plugin> plugins = new ArrayList<>(List.of(extra));
    found.byKind().values().forEach(plugins::addAll);
    return PluginRegistry.of(plugins);
  }

  /** Runs with {@code registry} in place of the plugins found on the module path. */
  static Cli run(PluginRegistry registry, String... args) {
    return run(Guice.createInjector(Modules.override(new VarflowModule())
        .with(binder -> binder.bind(Plugins.class).toInstance(Plugins.of(registry)))), args);
  }

  private static Cli run(Injector injector, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = VarflowCommand.commandLine(injector);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Cli(code, out.toString(), err.toString());
  }
}
