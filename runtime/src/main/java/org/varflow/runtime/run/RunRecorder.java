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
import java.util.function.BooleanSupplier;
import org.varflow.api.Options;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.io.AtomicFiles;
import org.varflow.api.solve.Observer;
import org.varflow.api.solve.Solver;
import org.varflow.api.solve.StepRecord;
import org.varflow.runtime.RunListener;
import org.varflow.runtime.spec.SpecLoader;

/**
 * Observes a solve, keeps the recorded rows and, with a run directory, keeps it current: on start it writes
 * the resolved {@code spec.yaml} (with the backend used in place of {@code auto}); each record appends one complete
 * line to {@code history.csv} (columns {@code step,time,energy,train_risk,test_risk,<regularizers...>,wall_ms});
 * when the solver can continue a solve ({@link Solver#CHECKPOINT_EVERY}) it writes a {@link Checkpoint} every
 * {@code checkpoint_every} steps, or a minute after the last one. Between steps it stops the solve by throwing
 * {@link Interruption} once {@code interrupted} says so, after a last checkpoint. A {@link RunListener} follows
 * along.
 */
final class RunRecorder implements Observer {
  /** Without {@code checkpoint_every}: the least time between two checkpoints. */
  static final long CHECKPOINT_NANOS = 60_000_000_000L;

  private final RunPlan plan;
  private final Path dir;
  private final RunListener listener;
  private final long first;
  private final BooleanSupplier interrupted;
  private final boolean checkpoints;
  private final long checkpointEvery;
  private final List<Map<String, Object>> rows = new ArrayList<>();
  private long startNanos;
  private long lastCheckpointNanos;
  private double wallOffsetMs;

  /** The solve stopped between steps because the run was interrupted. */
  static final class Interruption extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final long step;

    Interruption(long step) {
      super("interrupted at step " + step, null, false, false);
      this.step = step;
    }
  }

  /**
   * @param dir the run directory, or null to keep the rows in memory only
   * @param first the steps already taken: 0 for a new run; for a resumed one, the rows of {@code history.csv}
   *     before it are kept and those from it on are recorded again
   * @param interrupted asked between steps whether to stop
   */
  RunRecorder(RunPlan plan, Path dir, RunListener listener, long first, BooleanSupplier interrupted) {
    this.plan = plan;
    this.dir = dir;
    this.listener = listener;
    this.first = first;
    this.interrupted = interrupted;
    Options solver = plan.solverOptions();
    this.checkpoints = dir != null && plan.solver().options().option(Solver.CHECKPOINT_EVERY).isPresent();
    this.checkpointEvery = solver.has(Solver.CHECKPOINT_EVERY) ? solver.getLong(Solver.CHECKPOINT_EVERY) : 0;
  }

  @Override
  public void onStart(long plannedSteps) {
    if (dir != null) {
      try {
        Files.createDirectories(dir.resolve("params"));
        // the spec as run: every default filled in, and the backend that ran it (also when it was auto)
        AtomicFiles.write(dir.resolve("spec.yaml"), SpecLoader.toYaml(plan.spec().with("backend", plan.backend().id())
            .root().asMap()));
        if (first == 0) {
          Files.deleteIfExists(dir.resolve("history.csv"));
        } else {
          keepHistoryBeforeFirst();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write run directory " + dir, e);
      }
    }
    listener.onStart(plannedSteps);
    startNanos = System.nanoTime();
    lastCheckpointNanos = startNanos;
  }

  @Override
  public void onStep(long step) {
    listener.onStep(step);
    boolean stop = interrupted.getAsBoolean();
    if (checkpoints && (stop || (checkpointEvery > 0 ? step % checkpointEvery == 0
        : System.nanoTime() - lastCheckpointNanos >= CHECKPOINT_NANOS))) {
      try {
        Checkpoint.write(dir, plan.flow(), step, plan.precision());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the checkpoint in " + dir, e);
      }
      lastCheckpointNanos = System.nanoTime();
    }
    if (stop) {
      throw new Interruption(step);
    }
  }

  /** Keeps the rows of history.csv before step {@code first}, in the file and in memory. */
  private void keepHistoryBeforeFirst() throws IOException {
    Path history = dir.resolve("history.csv");
    List<String> lines = Files.exists(history) ? Files.readAllLines(history, StandardCharsets.UTF_8) : List.of();
    if (lines.isEmpty()) {
      return;
    }
    String[] header = lines.get(0).split(",", -1);
    StringBuilder kept = new StringBuilder(lines.get(0)).append('\n');
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",", -1);
      if (cells.length != header.length || Long.parseLong(cells[0]) >= first) {
        break;
      }
      Map<String, Object> row = new LinkedHashMap<>();
      for (int c = 0; c < cells.length; c++) {
        Object value = c == 0 ? (Object) Long.parseLong(cells[0]) // as recorded: step a long, the rest doubles
            : (Object) (cells[c].isEmpty() ? Double.NaN : Double.parseDouble(cells[c]));
        row.put(header[c], value);
      }
      rows.add(row);
      kept.append(line).append('\n');
    }
    if (rows.isEmpty()) {
      Files.delete(history); // the first record writes the header again
    } else {
      AtomicFiles.write(history, kept.toString());
      wallOffsetMs = (Double) rows.get(rows.size() - 1).get("wall_ms");
    }
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
    row.put("wall_ms", wallOffsetMs + (System.nanoTime() - startNanos) / 1e6);
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
