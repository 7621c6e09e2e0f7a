package org.varflow.app;

import com.google.inject.Injector;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import org.varflow.api.SpecException;
import org.varflow.api.plugin.PluginException;
import org.varflow.app.bench.BenchCommand;
import org.varflow.app.check.CheckCommand;
import org.varflow.app.examples.ExamplesCommand;
import org.varflow.app.plugins.KitCommand;
import org.varflow.app.plugins.Plugins;
import org.varflow.app.plugins.PluginsCommand;
import org.varflow.app.plugins.SchemaCommand;
import org.varflow.app.report.ReportCommand;
import org.varflow.app.run.RunCommand;
import org.varflow.app.study.StudyCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The top-level {@code varflow} command: global options and the subcommands, each of which inherits
 * {@code --help} and {@code --version}; {@code varflow help CMD} prints a subcommand's help too.
 */
@Command(name = "varflow", mixinStandardHelpOptions = true, versionProvider = VarflowCommand.Version.class,
    scope = CommandLine.ScopeType.INHERIT,
    description = "Machine learning as a variational problem; conventional models as its discretizations.",
    subcommands = {RunCommand.class, StudyCommand.class, ReportCommand.class, ExamplesCommand.class, CheckCommand.class,
        PluginsCommand.class, SchemaCommand.class, KitCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
final class VarflowCommand implements Callable<Integer> {
  /** System property read by logback.xml for the root log level. */
  static final String LOG_LEVEL = "varflow.log.level";
  static final int BAD_INPUT = 2;

  private final Plugins plugins;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /**
   * Sets the log level read when logging starts (logback.xml's {@code varflow.log.level}): INFO, else WARN.
   * Options are parsed before anything is logged.
   */
  @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
      description = "Log what is found and done, and the stack trace of an internal error.")
  void verbose(boolean verbose) {
    System.setProperty(LOG_LEVEL, verbose ? "INFO" : "WARN");
  }

  @Inject
  VarflowCommand(Plugins plugins) {
    this.plugins = plugins;
  }

  @Option(names = "--plugins", paramLabel = "DIR", scope = CommandLine.ScopeType.INHERIT,
      description = "Directory of plugin jars put on the module path (default ./plugins).")
  void pluginDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--plugins: " + dir + " is not a directory");
    }
    plugins.directory(dir);
  }

  /** Without a subcommand, {@code varflow} runs the bundled quickstart. */
  @Override
  public Integer call() {
    return spec.commandLine().getSubcommands().get("run").execute();
  }

  /**
   * @return a command line whose commands are created by Guice and whose errors map to exit codes: a bad command
   *     line is one line and a hint (exit 2), a bad spec or plugin one line (exit 2), a bug one line (exit 1)
   */
  static CommandLine commandLine(Injector injector) {
    CommandLine.IFactory defaults = CommandLine.defaultFactory();
    // commands come from Guice; picocli's own helpers (collections, converters) from its default factory
    CommandLine cl = new CommandLine(VarflowCommand.class, new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> type) throws Exception {
        return type.isAnnotationPresent(Command.class) ? injector.getInstance(type) : defaults.create(type);
      }
    });
    cl.setParameterExceptionHandler((e, args) -> {
      CommandLine at = e.getCommandLine();
      List<String> guesses = e instanceof CommandLine.UnmatchedArgumentException u ? u.getSuggestions() : List.of();
      at.getErr().println("error: " + e.getMessage());
      at.getErr().println((guesses.isEmpty() ? "" : "did you mean " + String.join(" or ", guesses) + "? ") + "try '"
          + at.getCommandSpec().qualifiedName() + " --help'");
      return BAD_INPUT;
    });
    cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof SpecException || e instanceof PluginException) {
        commandLine.getErr().println("error: " + e.getMessage());
        return BAD_INPUT;
      }
      // one line; the stack trace only with --verbose (logged at INFO, where the default level WARN hides it)
      LoggerFactory.getLogger(VarflowCommand.class).info("internal error", e);
      commandLine.getErr().println("internal error: " + e + " (please report it; rerun with --verbose for the stack trace)");
      return 1;
    });
    return cl;
  }

  /** Version from the module descriptor. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      java.lang.module.ModuleDescriptor d = VarflowCommand.class.getModule().getDescriptor();
      return new String[] {"varflow " + (d == null ? "dev" : d.rawVersion().orElse("dev"))};
    }
  }
}
