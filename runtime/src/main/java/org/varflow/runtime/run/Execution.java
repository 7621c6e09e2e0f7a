package org.varflow.runtime.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.io.AtomicFiles;
import org.varflow.api.io.Npy;
import org.varflow.api.plugin.Plugin;
import org.varflow.api.solve.DivergenceException;
import org.varflow.api.solve.SolveContext;
import org.varflow.api.solve.SolveResult;
import org.varflow.api.solve.SolverState;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.runtime.RunListener;

/**
 * One solve of a plan, the code path of every run (the exported network's nested run included): the
 * recorder streams the history (and, with a run directory, keeps {@code spec.yaml} and {@code history.csv}
 * current), a solve that ends keeps its final parameters (in {@code params/}) and, until the run is done, its final
 * state as a checkpoint; {@link #writeSummary} records the outcome.
 */
public final class Execution {
  private final RunPlan plan;
  private final Path dir;
  private final RunRecorder recorder;
  private final long first;
  private final long prepareNanos;
  private final long solveNanos;
  private final SolveResult result;
  private final RuntimeException failure;
  private final long interruptedAt;
  private final Map<String, Npy.Array> parameters;

  private Execution(RunPlan plan, Path dir, RunRecorder recorder, long first, long prepareNanos, long solveNanos,
      SolveResult result, RuntimeException failure, long interruptedAt, Map<String, Npy.Array> parameters) {
    this.plan = plan;
    this.dir = dir;
    this.recorder = recorder;
    this.first = first;
    this.prepareNanos = prepareNanos;
    this.solveNanos = solveNanos;
    this.result = result;
    this.failure = failure;
    this.interruptedAt = interruptedAt;
    this.parameters = parameters;
  }

  /** The heap ran out during the solve: the run fails (exit code 3) keeping what it recorded. */
  static final class OutOfMemory extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final long step;

    OutOfMemory(long step, OutOfMemoryError e) {
      super("out of memory at step " + step + " (" + e.getMessage() + "); use smaller sizes, float32, or more memory"
          + " (VARFLOW_JAVA_OPTS=-Xmx…)", null, false, false);
      this.step = step;
    }
  }

  /**
   * Solves {@code plan}, into {@code dir} when there is one; a divergence, or the heap running out, is kept as
   * {@link #failure()} and an interruption as {@link #interruptedAt()}, not thrown.
   *
   * @param dir the run directory, or null to keep everything in memory
   * @param startNanos {@link System#nanoTime()} when preparing the plan began
   * @param from the checkpoint to continue from (the flow is set to its state; a solve that had ended there is not
   *     taken again), or null for a new run
   * @param interrupted asked between steps whether to stop; the parameters there are kept, as is a checkpoint
   */
  public static Execution run(RunPlan plan, Path dir, RunListener listener, long startNanos, Checkpoint from,
      BooleanSupplier interrupted) throws IOException {
    long first = from == null ? 0 : from.step();
    if (from != null) {
      from.restore(plan.flow(), dir);
    }
    boolean solved = from != null && from.solved() != null;
    long t1 = System.nanoTime();
    SolveResult result = solved ? from.solved() : null;
    RuntimeException failure = null;
    long interruptedAt = -1;
    SolverState solverState = from == null ? new SolverState() : SolverState.of(from.solver());
    RunRecorder recorder = new RunRecorder(plan, dir, listener, first, interrupted, solverState);
    try (recorder) {
      recorder.open(solved);
      if (!solved) {
        result = plan.solver().solve(new SolveContext(plan.flow(), plan.solverOptions(), recorder,
            Optional.of(plan.problem()), first, plan.seed(), solverState));
      }
    } catch (DivergenceException e) {
      failure = e;
    } catch (RunRecorder.Interruption e) {
      interruptedAt = e.step;
    } catch (OutOfMemoryError e) {
      failure = new OutOfMemory(recorder.step(), e);
    }
    long solveNanos = System.nanoTime() - t1;
    if (dir != null && result != null && !solved) {
      Checkpoint.write(dir, plan.flow(), result.steps(), plan.precision(), solverState, result); // until the run is done
    }
    Map<String, Npy.Array> parameters = failure == null ? arrays(plan.flow().parameters(), plan.flow()) : Map.of();
    if (dir != null) {
      writeParams(dir.resolve("params"), parameters, plan.precision());
    }
    return new Execution(plan, dir, recorder, first, t1 - startNanos, solveNanos, result, failure, interruptedAt,
        parameters);
  }

  /** @return each tensor's elements and shape, the tensors released */
  static Map<String, Npy.Array> arrays(Map<String, Tensor> tensors) {
    return arrays(tensors, null);
  }

  /**
   * @param flow the flow whose logical shapes ({@link DiscreteFlow#shape}) the arrays take, or null for the tensors' own
   * @return each tensor's elements and shape, the tensors released
   */
  static Map<String, Npy.Array> arrays(Map<String, Tensor> tensors, DiscreteFlow flow) {
    Map<String, Npy.Array> out = new LinkedHashMap<>();
    tensors.forEach((name, t) -> out.put(name, new Npy.Array(t.toDoubleArray(), flow == null ? t.shape()
        : flow.shape(name, t))));
    tensors.values().forEach(Tensor::release);
    return out;
  }

  /** Writes each named array as {@code dir/<name>.npy} in {@code precision}. */
  static void writeParams(Path dir, Map<String, Npy.Array> arrays, Precision precision) throws IOException {
    for (Map.Entry<String, Npy.Array> e : arrays.entrySet()) {
      Npy.write(dir.resolve(e.getKey() + ".npy"), e.getValue().data(), e.getValue().shape(), precision);
    }
  }

  /** @return the final parameters (the flow's {@code parameters()}), empty when the solve diverged */
  public Map<String, Npy.Array> parameters() {
    return parameters;
  }

  /**
   * @param most half the most rows to keep
   * @return the rows of {@code history.csv}, thinned evenly to at most 2·{@code most} and the last (to plot them)
   */
  public List<Map<String, Object>> historySample(int most) {
    return HistoryFile.sample(dir.resolve(RunRecorder.HISTORY), most);
  }

  /** @return every recorded row, first to last (read back from {@code history.csv} when there is a directory) */
  public List<Map<String, Object>> history() {
    return recorder.rows();
  }

  public RunPlan plan() {
    return plan;
  }

  public Path dir() {
    return dir;
  }

  /** @return the solver's result, or null when it diverged */
  public SolveResult result() {
    return result;
  }

  /** @return the divergence (or the heap running out) that ended the solve, or null when it did not fail */
  public RuntimeException failure() {
    return failure;
  }

  /** @return the step at which the run was interrupted, or −1 */
  public long interruptedAt() {
    return interruptedAt;
  }

  /**
   * @return {@code completed}, {@code stopped} (by the listener), {@code diverged}, {@code failed} (out of memory)
   *     or {@code interrupted}
   */
  public String status() {
    return failure instanceof DivergenceException ? "diverged" : failure != null ? "failed"
        : interruptedAt >= 0 ? "interrupted" : result.stoppedByObserver() ? "stopped" : "completed";
  }

  /** @return whether an interrupted solve left a checkpoint to continue from */
  public boolean resumable() {
    return interruptedAt >= 0 && recorder.checkpoints();
  }

  /** @return the first recorded row (the initial state); empty when nothing was recorded */
  public Map<String, Object> first() {
    return recorder.first();
  }

  /** @return the last recorded row; empty when nothing was recorded */
  public Map<String, Object> last() {
    return recorder.last();
  }

  /** @return steps taken: those of the result, the step that failed, or the step of the interruption */
  public long steps() {
    return failure instanceof DivergenceException d ? d.step() : failure instanceof OutOfMemory o ? o.step
        : interruptedAt >= 0 ? interruptedAt : result.steps();
  }

  /**
   * Writes {@code summary.json}: status, plugins, initial and final metrics, timings, then {@code extra}.
   *
   * @param extra further top-level entries (e.g. the exported network), in order
   */
  public void writeSummary(Map<String, Object> extra) throws IOException {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("status", status());
    if (failure != null) {
      s.put("message", failure.getMessage());
    } else if (interruptedAt >= 0) {
      s.put("message", "interrupted at step " + interruptedAt + "; " + (resumable()
          ? "the run continues from its checkpoint when resumed"
          : "solver '" + plan.solver().id() + "' keeps no checkpoint, so the run cannot be resumed"));
    }
    s.put("spec", plan.name());
    s.put("seed", plan.seed());
    s.put("precision", plan.precision().id());
    s.put("backend", Map.of("id", plan.backend().id(), "describe", plan.backend().describe()));
    if (!plan.warnings().isEmpty()) {
      s.put("warnings", plan.warnings());
    }
    Map<String, Object> pluginIds = new LinkedHashMap<>();
    pluginIds.put("backend", pluginInfo(plan.backend()));
    pluginIds.put("discretization", pluginInfo(plan.discretization()));
    pluginIds.put("solver", pluginInfo(plan.solver()));
    s.put("plugins", pluginIds);
    s.put("steps", steps());
    if (!first().isEmpty()) {
      s.put("initial", nullForNaN(first()));
      s.put("final", nullForNaN(last()));
    }
    if (result != null && !result.diagnostics().isEmpty()) {
      s.put("solver", new TreeMap<>(result.diagnostics()));
    }
    Map<String, Object> timings = new LinkedHashMap<>();
    timings.put("setup_ms", prepareNanos / 1e6);
    timings.put("solve_ms", solveNanos / 1e6);
    long timed = steps() - first; // the steps of this process: a resumed run times those after its checkpoint
    timings.put("ms_per_step", timed > 0 ? solveNanos / 1e6 / timed : null);
    s.put("timings", timings);
    s.putAll(extra);
    AtomicFiles.write(dir.resolve("summary.json"),
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(s) + "\n");
  }

  /** Prints the start and end metrics, the solver's diagnostics, timing, backend and precision. */
  public void report(PrintWriter out) {
    Map<String, Object> first = first();
    Map<String, Object> last = last();
    out.printf(Locale.ROOT, "%n%-12s %14s %14s%n", "", "start", "end");
    for (String key : List.of("train_risk", "test_risk", "energy")) {
      out.printf(Locale.ROOT, "%-12s %14s %14s%n", key, cell(first.get(key)), cell(last.get(key)));
    }
    out.printf(Locale.ROOT, "%-12s %14s %14d%n", "steps", "", result.steps());
    out.printf(Locale.ROOT, "%-12s %14s %14s%n", "time", "", Double.isFinite(result.time())
        ? String.format(Locale.ROOT, "%.4g", result.time()) : "-");
    new TreeMap<>(result.diagnostics()).forEach((k, v) ->
        out.printf(Locale.ROOT, "%-12s %14s %14s%n", k, "", v instanceof Double d ? String.format(Locale.ROOT, "%.4g", d) : v));
    out.printf(Locale.ROOT, "%-12s %14s %14.2f%n", "wall [s]", "", solveNanos / 1e9);
    out.printf(Locale.ROOT, "%-12s %29s%n", "backend", plan.backend().id());
    out.printf(Locale.ROOT, "%-12s %29s%n", "precision", plan.precision().id());
  }

  /** @return a value as the report prints it ({@code -} for none or a number that is not finite) */
  static String cell(Object v) {
    if (v == null || v instanceof Double d && !Double.isFinite(d)) {
      return "-";
    }
    return v instanceof Double d ? String.format(Locale.ROOT, "%.6e", d) : String.valueOf(v);
  }

  /** @return {@code row} with non-finite numbers as null (JSON has no NaN) */
  static Map<String, Object> nullForNaN(Map<String, Object> row) {
    Map<String, Object> out = new LinkedHashMap<>(row);
    out.replaceAll((k, v) -> v instanceof Double d && !Double.isFinite(d) ? null : v);
    return out;
  }

  private static Map<String, Object> pluginInfo(Plugin p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", p.id());
    m.put("version", p.version());
    return m;
  }
}
