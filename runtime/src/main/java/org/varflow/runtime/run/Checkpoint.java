package org.varflow.runtime.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.varflow.api.SpecException;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.io.AtomicFiles;
import org.varflow.api.io.Npy;
import org.varflow.api.solve.SolveResult;
import org.varflow.api.solve.SolverState;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;

/**
 * The flow's state after a step, from which a run continues to the numbers it would have reached uninterrupted:
 * {@code checkpoint/state/<name>.npy} for each state tensor, in the run's precision (so exactly) and the flow's logical
 * shape ({@link DiscreteFlow#shape}), and
 * {@code checkpoint/checkpoint.json} with the step, written last. A new checkpoint is written whole into
 * {@code checkpoint.new/} and then renamed into place (the old one renamed aside first and deleted after), so that
 * a kill at any moment leaves one complete checkpoint. A solve that has ended keeps its final state and result as a
 * checkpoint too, until the whole run (export, plots, summary) is done: a run stopped after its solve resumes past it.
 *
 * @param step the steps taken
 * @param state the flow's state tensors by name
 * @param solver the solver's own state ({@link SolverState}), in {@code checkpoint/solver/<name>.npy} as float64
 * @param solved the solve's result when it had ended at {@code step}, else null
 */
public record Checkpoint(long step, Map<String, Npy.Array> state, Map<String, double[]> solver, SolveResult solved) {
  static final String DIR = "checkpoint";
  private static final String NEW = "checkpoint.new";
  private static final String OLD = "checkpoint.old";
  private static final String INFO = "checkpoint.json";
  private static final String SOLVER = "solver";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Writes the state of {@code flow} after {@code step} steps into {@code runDir}, replacing the checkpoint there.
   *
   * @param solver the solver's own state after that step
   * @param solved the solve's result when it ended at {@code step}, else null
   */
  static void write(Path runDir, DiscreteFlow flow, long step, Precision precision, SolverState solver,
      SolveResult solved) throws IOException {
    Path fresh = runDir.resolve(NEW);
    AtomicFiles.deleteTree(fresh);
    for (Map.Entry<String, Tensor> e : flow.state().entrySet()) {
      Tensor t = e.getValue();
      Npy.write(fresh.resolve("state").resolve(e.getKey() + ".npy"), t.toDoubleArray(), flow.shape(e.getKey(), t),
          precision);
    }
    for (Map.Entry<String, double[]> e : solver.values().entrySet()) {
      Npy.write(fresh.resolve(SOLVER).resolve(e.getKey() + ".npy"), e.getValue(), new int[] {e.getValue().length},
          Precision.FLOAT64);
    }
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("step", step);
    if (solved != null) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("time", Double.toString(solved.time())); // as text: JSON has no ∞
      result.put("stopped", solved.stoppedByObserver());
      result.put("diagnostics", solved.diagnostics());
      info.put("solved", result);
    }
    AtomicFiles.write(fresh.resolve(INFO), JSON.writeValueAsString(info) + "\n");
    Path current = runDir.resolve(DIR);
    Path old = runDir.resolve(OLD);
    AtomicFiles.deleteTree(old);
    if (Files.exists(current)) {
      Files.move(current, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(fresh, current, StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.deleteTree(old);
  }

  /**
   * @return the newest complete checkpoint in {@code runDir}: {@code checkpoint/}, else one that a kill left
   *     between the two renames of {@link #write}
   */
  public static Optional<Checkpoint> read(Path runDir) {
    for (String name : List.of(DIR, NEW, OLD)) {
      Path dir = runDir.resolve(name);
      if (!Files.isRegularFile(dir.resolve(INFO))) {
        continue;
      }
      try {
        JsonNode info = JSON.readTree(dir.resolve(INFO).toFile());
        long step = info.get("step").asLong();
        JsonNode result = info.path("solved");
        SolveResult solved = result.isObject() ? new SolveResult(step, Double.parseDouble(result.get("time").asText()),
            result.get("stopped").asBoolean(), JSON.convertValue(result.get("diagnostics"), Map.class)) : null;
        Map<String, Npy.Array> state = arrays(dir.resolve("state"));
        Map<String, double[]> solver = new LinkedHashMap<>();
        if (Files.isDirectory(dir.resolve(SOLVER))) {
          arrays(dir.resolve(SOLVER)).forEach((key, array) -> solver.put(key, array.data()));
        }
        return Optional.of(new Checkpoint(step, state, solver, solved));
      } catch (IOException | RuntimeException e) {
        throw new SpecException(dir.toString(), "unreadable checkpoint: " + e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** @return the arrays {@code dir/<name>.npy} by name, in name order */
  private static Map<String, Npy.Array> arrays(Path dir) throws IOException {
    Map<String, Npy.Array> arrays = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        arrays.put(f.getFileName().toString().replaceFirst("\\.npy$", ""), Npy.readFinite(f));
      }
    }
    return arrays;
  }

  /**
   * Removes the checkpoints of a run that is done (and what a kill may have left of one), with those of the runs
   * nested in it (its subdirectories that hold a {@code spec.yaml}).
   */
  public static void delete(Path runDir) throws IOException {
    for (String name : List.of(DIR, NEW, OLD)) {
      AtomicFiles.deleteTree(runDir.resolve(name));
    }
    try (Stream<Path> nested = Files.list(runDir)) {
      for (Path dir : nested.filter(d -> Files.isRegularFile(d.resolve("spec.yaml"))).toList()) {
        delete(dir);
      }
    }
  }

  /** Sets the state of {@code flow} to this checkpoint's, exactly; fails naming the checkpoint when they do not fit. */
  public void restore(DiscreteFlow flow, Path runDir) {
    Map<String, Tensor> current = flow.state();
    if (!current.keySet().equals(state.keySet())) {
      throw new SpecException(runDir.resolve(DIR).toString(), "holds state " + state.keySet() + ", but the flow's is "
          + current.keySet());
    }
    current.forEach((name, t) -> {
      Npy.Array saved = state.get(name);
      int[] shape = flow.shape(name, t);
      if (!Arrays.equals(saved.shape(), shape)) {
        throw new SpecException(runDir.resolve(DIR).resolve("state").resolve(name + ".npy").toString(), "has shape "
            + Arrays.toString(saved.shape()) + ", but the flow's " + name + " has " + Arrays.toString(shape));
      }
      Tensor value = t.factory().of(t.precision(), saved.data(), t.shape());
      t.scalei(0).axpyi(1, value); // t ← value, exactly: 0 + 1·v = v
      value.release();
    });
  }
}
