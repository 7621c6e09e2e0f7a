package org.varflow.app.run;

import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.ParameterDensity;
import org.varflow.app.plot.DensityPlots;
import org.varflow.app.plugins.Plugins;
import org.varflow.app.spec.Spec;
import org.varflow.app.spec.SpecLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code varflow run [SPEC]}: discretize the spec's continuous problem, solve the flow, and leave a run
 * directory with {@code spec.yaml}, {@code history.csv}, {@code summary.json} and {@code params/*.npy}; for a
 * density also the exported network ({@code params/network/}, trained in {@code network/}) and, for a
 * two-dimensional Ω, {@code plots/}.
 */
@Command(name = "run", description = "Discretize and solve a spec (no SPEC: the bundled quickstart).")
public final class RunCommand implements Callable<Integer> {
  static final int DIVERGED = 3;
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private final Plugins plugins;

  @picocli.CommandLine.Spec
  CommandSpec command;

  @Parameters(arity = "0..1", paramLabel = "SPEC", description = "YAML spec file.")
  Path specFile;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a spec key, e.g. solver.step=0.1.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default runs/<time>-<spec name>).")
  Path out;

  @Option(names = "--backend", paramLabel = "ID", description = "Backend id or auto (overrides the spec).")
  String backend;

  @Inject
  RunCommand(Plugins plugins) {
    this.plugins = plugins;
  }

  @Override
  public Integer call() throws IOException {
    long t0 = System.nanoTime();
    if (backend != null) {
      overrides.add("backend=" + backend);
    }
    Spec spec = SpecLoader.load(specFile, overrides);
    RunPlan plan = RunPlan.prepare(spec, plugins.registry());
    plan.warnings().forEach(w -> command.commandLine().getErr().println("warning: " + w));
    Path dir = out != null ? out : Path.of("runs", LocalDateTime.now().format(STAMP) + "-" + spec.name());
    boolean progress = System.console() != null;
    try (DiscreteFlow flow = plan.flow()) {
      return finish(plan, dir, progress, Execution.run(plan, dir, progress, t0));
    }
  }

  /** Exports, plots, writes the summary and reports a run that has ended; @return the exit code */
  private int finish(RunPlan plan, Path dir, boolean progress, Execution run) throws IOException {
    if (run.failure() != null) {
      run.writeSummary(Map.of());
      return failed("", run);
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    Optional<NetworkExport> network = Optional.empty();
    if (plan.networkWidth() > 0) {
      network = Optional.of(NetworkExport.write(run, plugins.registry(), progress));
      extra.put("network", network.get().summary());
    }
    Optional<ParameterDensity> density = plan.flow().density();
    List<DensityPlots.Plot> plots = density.isEmpty() ? List.of() : DensityPlots.write(dir.resolve("plots"),
        density.get(), "u* (" + plan.discretization().id() + ")", network.flatMap(NetworkExport::particles));
    if (!plots.isEmpty()) {
      extra.put("plots", plots.stream().map(p -> dir.relativize(p.file()).toString()).toList());
    }
    run.writeSummary(extra);
    PrintWriter console = command.commandLine().getOut();
    run.report(console);
    network.ifPresent(n -> n.report(console));
    plots.forEach(p -> console.printf("plot: %s%n", p.file()));
    console.printf("run directory: %s%n", dir);
    console.flush();
    Optional<Execution> trained = network.flatMap(NetworkExport::trained);
    return trained.isPresent() && trained.get().failure() != null ? failed("network training ", trained.get()) : 0;
  }

  /** Reports a diverged run ({@code what} names it) and returns its exit code. */
  private int failed(String what, Execution run) {
    command.commandLine().getErr().println("error: run failed: " + what + run.failure().getMessage()
        + "; history and summary kept in " + run.dir());
    return DIVERGED;
  }
}
