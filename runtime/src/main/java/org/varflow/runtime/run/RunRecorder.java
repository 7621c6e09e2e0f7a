package org.varflow.runtime.run;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.varflow.api.Options;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.io.AtomicFiles;
import org.varflow.api.solve.Observer;
import org.varflow.api.solve.Solver;
import org.varflow.api.solve.SolverState;
import org.varflow.api.solve.StepRecord;
import org.varflow.api.tensor.Tensor;
import org.varflow.runtime.RunListener;
import org.varflow.runtime.spec.SpecLoader;

/**
 * Observes a solve and, with a run directory, keeps it current: {@link #open} writes the resolved {@code spec.yaml}
 * (with the backend used in place of {@code auto}); each record appends one complete line to {@code history.csv}
 * (columns {@code step,time,energy,train_risk,test_risk,<regularizers...>,generalization_gap,velocity_norm,
 * <the flow's diagnostics...>,<solver's columns...>,wall_ms}, each where it applies), so that the history takes no
 * memory (only the first and the last row are kept; without a directory every row is); when the solver can continue
 * a solve ({@link Solver#CHECKPOINT_EVERY}) it writes a {@link Checkpoint} every {@code checkpoint_every} steps, or
 * a minute after the last one. Between steps it stops the solve by throwing {@link Interruption} once
 * {@code interrupted} says so, after a last checkpoint; the last planned step is not interrupted, so a solve that
 * has reached its end completes. A {@link RunListener} follows along.
 */
final class RunRecorder implements Observer, AutoCloseable {
  /** Without {@code checkpoint_every}: the least time between two checkpoints. */
  static final long CHECKPOINT_NANOS = 60_000_000_000L;
  static final String HISTORY = "history.csv";

  private final RunPlan plan;
  private final Path dir;
  private final RunListener listener;
  private final long first;
  private final BooleanSupplier interrupted;
  private final SolverState solverState;
  private final boolean checkpoints;
  private final long checkpointEvery;
  private final List<Map<String, Object>> rows = new ArrayList<>();
  private Map<String, Object> firstRow = Map.of();
  private Map<String, Object> lastRow = Map.of();
  private FileChannel history;
  private long plannedSteps;
  private long step;
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
   * @param first the steps already taken: 0 for a new run; for a resumed one, see {@link #open}
   * @param interrupted asked between steps whether to stop
   * @param solverState the solver's own state, saved with each checkpoint
   */
  RunRecorder(RunPlan plan, Path dir, RunListener listener, long first, BooleanSupplier interrupted,
      SolverState solverState) {
    this.plan = plan;
    this.dir = dir;
    this.listener = listener;
    this.first = first;
    this.interrupted = interrupted;
    this.solverState = solverState;
    this.step = first;
    Options solver = plan.solverOptions();
    this.checkpoints = dir != null && plan.solver().options().option(Solver.CHECKPOINT_EVERY).isPresent();
    this.checkpointEvery = solver.has(Solver.CHECKPOINT_EVERY) ? solver.getLong(Solver.CHECKPOINT_EVERY) : 0;
  }

  /**
   * Prepares the run directory: writes {@code spec.yaml}; for a new run removes any history, for a resumed one keeps
   * the rows of {@code history.csv} before step {@code first} (through it, {@code throughFirst}, when the solve had
   * ended there) and drops the rest, which is recorded again.
   */
  void open(boolean throughFirst) throws IOException {
    if (dir == null) {
      return;
    }
    Files.createDirectories(dir.resolve("params"));
    // the spec as run: every default filled in, and the backend that ran it (also when it was auto)
    AtomicFiles.write(dir.resolve("spec.yaml"), SpecLoader.toYaml(plan.spec().with("backend", plan.backend().id())
        .root().asMap()));
    Path file = dir.resolve(HISTORY);
    if (first == 0 && !throughFirst) {
      Files.deleteIfExists(file);
    } else if (Files.exists(file)) {
      keepHistory(file, first + (throughFirst ? 1 : 0));
    }
  }

  /** Rewrites {@code file} with its rows before step {@code end}, line by line; keeps the first and last of them. */
  private void keepHistory(Path file, long end) throws IOException {
    Path kept = file.resolveSibling("." + HISTORY + "." + ProcessHandle.current().pid() + ".0.tmp");
    boolean any = false;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        BufferedWriter out = Files.newBufferedWriter(kept, StandardCharsets.UTF_8)) {
      String header = in.readLine();
      String[] columns = header == null ? new String[0] : header.split(",", -1);
      for (String line; (line = in.readLine()) != null; ) {
        Map<String, Object> row = HistoryFile.row(columns, line);
        if (row == null || (Long) row.get("step") >= end) {
          break;
        }
        if (!any) {
          out.write(header);
          out.write('\n');
          firstRow = row;
          any = true;
        }
        out.write(line);
        out.write('\n');
        lastRow = row;
      }
    }
    if (any) {
      Files.move(kept, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      wallOffsetMs = (Double) lastRow.get("wall_ms");
    } else {
      Files.delete(kept);
      Files.delete(file); // the first record writes the header again
    }
  }

  @Override
  public void onStart(long plannedSteps) {
    this.plannedSteps = plannedSteps;
    listener.onStart(plannedSteps);
    startNanos = System.nanoTime();
    lastCheckpointNanos = startNanos;
  }

  @Override
  public void onStep(long step) {
    this.step = step;
    listener.onStep(step);
    boolean stop = interrupted.getAsBoolean() && (plannedSteps <= 0 || step < plannedSteps);
    if (checkpoints && checkpointDue(stop, step, checkpointEvery, System.nanoTime() - lastCheckpointNanos)) {
      try {
        Checkpoint.write(dir, plan.flow(), step, plan.precision(), solverState, null);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the checkpoint in " + dir, e);
      }
      lastCheckpointNanos = System.nanoTime();
    }
    if (stop) {
      throw new Interruption(step);
    }
  }

  /**
   * @param stop whether the solve stops after this step
   * @param step the step just taken
   * @param every {@code checkpoint_every}, or 0 when it is not given
   * @param nanosSinceLast the time since the last checkpoint (or the start of the solve)
   * @return whether the step writes a checkpoint: always when the solve stops there; every {@code every} steps when
   *     given, whatever the time; else once a minute ({@link #CHECKPOINT_NANOS}) has passed since the last one
   */
  static boolean checkpointDue(boolean stop, long step, long every, long nanosSinceLast) {
    return stop || (every > 0 ? step % every == 0 : nanosSinceLast >= CHECKPOINT_NANOS);
  }

  /** @return the last step reached */
  long step() {
    return step;
  }

  /** @return whether an interruption keeps a checkpoint to resume from */
  boolean checkpoints() {
    return checkpoints;
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
    if (plan.problem().testData().isPresent()) {
      row.put("generalization_gap", (Double) row.get("test_risk") - e.risk());
    }
    // the solver's velocity at this state, |v| = (Σ over the state tensors of |v|²)^{1/2}; empty where a record has none
    row.put("velocity_norm", e.velocity() == null ? Double.NaN
        : Math.sqrt(e.velocity().values().stream().mapToDouble(Tensor::squaredNorm).sum()));
    flow.diagnostics().forEach(row::put);
    new TreeMap<>(record.columns()).forEach(row::put); // the solver's own, in name order
    row.put("wall_ms", wallOffsetMs + (System.nanoTime() - startNanos) / 1e6);
    if (dir != null) {
      append(row);
    } else {
      rows.add(row);
    }
    if (firstRow.isEmpty()) {
      firstRow = row;
    }
    lastRow = row;
    return listener.onRecord(row);
  }

  /** Tells the listener that the solve ended and closes {@code history.csv}. */
  @Override
  public void close() throws IOException {
    listener.onEnd();
    if (history != null) {
      history.close();
    }
  }

  /** @return every recorded row, first to last: read back from {@code history.csv} when there is a directory */
  List<Map<String, Object>> rows() {
    return dir == null ? rows : HistoryFile.read(dir.resolve(HISTORY));
  }

  /** @return the first recorded row; empty when nothing was recorded */
  Map<String, Object> first() {
    return firstRow;
  }

  /** @return the last recorded row; empty when nothing was recorded */
  Map<String, Object> last() {
    return lastRow;
  }

  /** Appends one whole line (header first) with a single write, so the file only ever ends in full lines. */
  private void append(Map<String, Object> row) {
    StringBuilder line = new StringBuilder();
    Path file = dir.resolve(HISTORY);
    try {
      if (history == null) {
        if (!Files.exists(file)) {
          line.append(String.join(",", row.keySet())).append('\n');
        }
        history = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);
      }
      List<String> cells = new ArrayList<>();
      row.values().forEach(v -> cells.add(HistoryFile.format(v)));
      line.append(String.join(",", cells)).append('\n');
      ByteBuffer bytes = ByteBuffer.wrap(line.toString().getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        history.write(bytes);
      }
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot append to " + file, ex);
    }
  }
}
