package org.varflow.app.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.varflow.api.io.AtomicFiles;
import org.varflow.api.io.Npy;
import org.varflow.api.plugin.Plugin;
import org.varflow.api.solve.DivergenceException;
import org.varflow.api.solve.SolveResult;
import org.varflow.api.tensor.Tensor;
import org.varflow.app.plugins.Plugins;
import org.varflow.app.spec.Spec;
import org.varflow.app.spec.SpecLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code varflow run [SPEC]}: discretize the spec's continuous problem, solve the flow, and leave a run
 * directory with {@code spec.yaml}, {@code history.csv}, {@code summary.json} and {@code params/*.npy}.
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
    Path dir = out != null ? out : Path.of("runs", LocalDateTime.now().format(STAMP) + "-" + spec.name());
    RunRecorder recorder = new RunRecorder(plan, dir, System.console() != null);
    long t1 = System.nanoTime();
    PrintWriter console = command.commandLine().getOut();
    SolveResult result;
    try {
      result = plan.solver().solve(plan.flow(), plan.solverOptions(), recorder);
    } catch (DivergenceException e) {
      recorder.finish();
      writeSummary(plan, dir, recorder, "diverged", e.getMessage(), t0, t1, e.step(), Map.of());
      command.commandLine().getErr().println("error: run failed: " + e.getMessage()
          + "; history and summary kept in " + dir);
      return DIVERGED;
    }
    recorder.finish();
    writeParams(dir.resolve("params"), plan.flow().parameters(), plan);
    if (plan.networkWidth() > 0) {
      writeParams(dir.resolve("params").resolve("network"),
          plan.flow().density().orElseThrow().sample(plan.networkWidth(), plan.seed()), plan);
    }
    writeSummary(plan, dir, recorder, result.stoppedByObserver() ? "stopped" : "completed", null, t0, t1,
        result.steps(), result.diagnostics());
    report(console, plan, recorder.rows(), result, (System.nanoTime() - t1) / 1e9, dir);
    return 0;
  }

  /** Writes each named tensor as {@code dir/<name>.npy} in the run's precision. */
  private static void writeParams(Path dir, Map<String, Tensor> tensors, RunPlan plan) throws IOException {
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      Tensor t = e.getValue();
      Npy.write(dir.resolve(e.getKey() + ".npy"), t.toDoubleArray(), t.shape(), plan.precision());
    }
  }

  private static void writeSummary(RunPlan plan, Path dir, RunRecorder recorder, String status, String message,
      long t0, long t1, long steps, Map<String, Double> diagnostics) throws IOException {
    long t2 = System.nanoTime();
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("status", status);
    if (message != null) {
      s.put("message", message);
    }
    s.put("spec", plan.spec().name());
    s.put("seed", plan.seed());
    s.put("precision", plan.precision().id());
    s.put("backend", Map.of("id", plan.backend().id(), "describe", plan.backend().describe()));
    Map<String, Object> pluginIds = new LinkedHashMap<>();
    pluginIds.put("backend", pluginInfo(plan.backend()));
    pluginIds.put("discretization", pluginInfo(plan.discretization()));
    pluginIds.put("solver", pluginInfo(plan.solver()));
    s.put("plugins", pluginIds);
    s.put("steps", steps);
    List<Map<String, Object>> rows = recorder.rows();
    if (!rows.isEmpty()) {
      s.put("initial", nullForNaN(rows.get(0)));
      s.put("final", nullForNaN(rows.get(rows.size() - 1)));
    }
    if (!diagnostics.isEmpty()) {
      s.put("solver", new TreeMap<>(diagnostics));
    }
    Map<String, Object> timings = new LinkedHashMap<>();
    timings.put("setup_ms", (t1 - t0) / 1e6);
    timings.put("solve_ms", (t2 - t1) / 1e6);
    timings.put("ms_per_step", steps > 0 ? (t2 - t1) / 1e6 / steps : null);
    s.put("timings", timings);
    AtomicFiles.write(dir.resolve("summary.json"),
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(s) + "\n");
  }

  private static Map<String, Object> pluginInfo(Plugin p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", p.id());
    m.put("version", p.version());
    return m;
  }

  private static Map<String, Object> nullForNaN(Map<String, Object> row) {
    Map<String, Object> out = new LinkedHashMap<>(row);
    out.replaceAll((k, v) -> v instanceof Double d && !Double.isFinite(d) ? null : v);
    return out;
  }

  private static void report(PrintWriter out, RunPlan plan, List<Map<String, Object>> rows, SolveResult result,
      double seconds, Path dir) {
    Map<String, Object> first = rows.get(0);
    Map<String, Object> last = rows.get(rows.size() - 1);
    out.printf(Locale.ROOT, "%n%-12s %14s %14s%n", "", "start", "end");
    for (String key : List.of("train_risk", "test_risk", "energy")) {
      out.printf(Locale.ROOT, "%-12s %14s %14s%n", key, cell(first.get(key)), cell(last.get(key)));
    }
    out.printf(Locale.ROOT, "%-12s %14s %14d%n", "steps", "", result.steps());
    out.printf(Locale.ROOT, "%-12s %14s %14.4g%n", "time", "", result.time());
    new TreeMap<>(result.diagnostics()).forEach((k, v) ->
        out.printf(Locale.ROOT, "%-12s %14s %14.4g%n", k, "", v));
    out.printf(Locale.ROOT, "%-12s %14s %14.2f%n", "wall [s]", "", seconds);
    out.printf(Locale.ROOT, "%-12s %29s%n", "backend", plan.backend().id());
    out.printf(Locale.ROOT, "%-12s %29s%n", "precision", plan.precision().id());
    out.printf("run directory: %s%n", dir);
    out.flush();
  }

  private static String cell(Object v) {
    return v instanceof Double d ? (d.isNaN() ? "-" : String.format(Locale.ROOT, "%.6e", d)) : String.valueOf(v);
  }
}
