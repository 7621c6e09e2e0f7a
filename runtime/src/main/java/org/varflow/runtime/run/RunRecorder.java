package org.varflow.runtime.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.io.AtomicFiles;
import org.varflow.api.solve.Observer;
import org.varflow.api.solve.StepRecord;
import org.varflow.runtime.RunListener;
import org.varflow.runtime.spec.SpecLoader;

/**
 * Observes a solve, keeps the recorded rows and, with a run directory, keeps it current: on start it writes
 * the resolved {@code spec.yaml} (with the backend used in place of {@code auto}); each record appends one complete line to {@code history.csv}
 * (columns {@code step,time,energy,train_risk,test_risk,<regularizers...>,wall_ms}). A {@link RunListener}
 * follows along.
 */
final class RunRecorder implements Observer {
  private final RunPlan plan;
  private final Path dir;
  private final RunListener listener;
  private final List<Map<String, Object>> rows = new ArrayList<>();
  private long startNanos;

  /** @param dir the run directory, or null to keep the rows in memory only */
  RunRecorder(RunPlan plan, Path dir, RunListener listener) {
    this.plan = plan;
    this.dir = dir;
    this.listener = listener;
  }

  @Override
  public void onStart(long plannedSteps) {
    if (dir != null) {
      try {
        Files.createDirectories(dir.resolve("params"));
        // the spec as run: every default filled in, and the backend that ran it (also when it was auto)
        AtomicFiles.write(dir.resolve("spec.yaml"), SpecLoader.toYaml(plan.spec().with("backend", plan.backend().id())
            .root().asMap()));
        Files.deleteIfExists(dir.resolve("history.csv"));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write run directory " + dir, e);
      }
    }
    listener.onStart(plannedSteps);
    startNanos = System.nanoTime();
  }

  @Override
  public void onStep(long step) {
    listener.onStep(step);
  }

  @Override
  public boolean onRecord(StepRecord record) {
    Evaluation e = record.evaluation();
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("step", record.step());
    row.put("time", record.time());
    row.put("energy", e.energy());
    row.put("train_risk", e.risk());
    DiscreteFlow flow = plan.flow();
    row.put("test_risk", plan.problem().testData().map(flow::risk).orElse(Double.NaN));
    e.parts().forEach((name, value) -> {
      if (!name.equals(Evaluation.RISK)) {
        row.put(name, value);
      }
    });
    row.put("wall_ms", (System.nanoTime() - startNanos) / 1e6);
    if (dir != null) {
      append(row);
    }
    rows.add(row);
    return listener.onRecord(row);
  }

  /** Tells the listener that the solve ended. */
  void finish() {
    listener.onEnd();
  }

  /** @return recorded rows, first to last */
  List<Map<String, Object>> rows() {
    return rows;
  }

  /** Appends one whole line (header first) with a single write, so the file only ever ends in full lines. */
  private void append(Map<String, Object> row) {
    StringBuilder line = new StringBuilder();
    if (rows.isEmpty()) {
      line.append(String.join(",", row.keySet())).append('\n');
    }
    List<String> cells = new ArrayList<>();
    row.values().forEach(v -> cells.add(format(v)));
    line.append(String.join(",", cells)).append('\n');
    try {
      Files.write(dir.resolve("history.csv"), line.toString().getBytes(StandardCharsets.UTF_8),
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot append to " + dir.resolve("history.csv"), ex);
    }
  }

  /** @return a cell of history.csv: empty for a number that is not finite (NaN, the t = ∞ of a stationary solve) */
  static String format(Object v) {
    if (v instanceof Double d) {
      return Double.isFinite(d) ? Double.toString(d) : "";
    }
    return String.valueOf(v);
  }
}
