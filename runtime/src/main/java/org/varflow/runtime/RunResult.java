package org.varflow.runtime;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.varflow.api.io.Npy;
import org.varflow.runtime.run.Execution;
import org.varflow.runtime.run.NetworkExport;

/**
 * The outcome of {@link Run#execute}: the recorded history, the final parameters, the run directory, and
 * what went wrong if anything did.
 */
public final class RunResult {
  private final Execution run;
  private final Optional<NetworkExport> network;
  private final List<Path> plots;
  private final Optional<String> interruptedAfterSolve;

  /** @param interruptedAfterSolve what an interruption after the solve stopped, in words */
  RunResult(Execution run, Optional<NetworkExport> network, List<Path> plots, Optional<String> interruptedAfterSolve) {
    this.run = run;
    this.network = network;
    this.plots = List.copyOf(plots);
    this.interruptedAfterSolve = interruptedAfterSolve;
  }

  /**
   * @return {@code completed}, {@code stopped} (by the listener), {@code diverged}, {@code failed} (out of memory) or
   *     {@code interrupted} ({@link Run#interrupt()})
   */
  public String status() {
    return interruptedAfterSolve.isPresent() ? "interrupted" : run.status();
  }

  /** @return whether the run was interrupted with a checkpoint to continue from ({@link Run#resume}) */
  public boolean resumable() {
    return interruptedAfterSolve.isPresent() || run.resumable();
  }

  /**
   * @return how the run was interrupted, in words ({@code interrupted at step 120}, or after the solve: {@code
   *     interrupted after the solve (1 steps), before the plots were drawn}); empty when it was not
   */
  public Optional<String> interruption() {
    return interruptedAfterSolve.or(() -> run.interruptedAt() >= 0 ? Optional.of("interrupted at step "
        + run.interruptedAt()) : Optional.empty());
  }

  /** @return the steps taken in all: to the end, to the divergence or to the interruption */
  public long steps() {
    return run.steps();
  }

  /**
   * @return what ended the solve, if it failed: a {@link org.varflow.api.solve.DivergenceException} (step, time and
   *     why) or the heap running out
   */
  public Optional<RuntimeException> failure() {
    return Optional.ofNullable(run.failure());
  }

  /** @return the failure of the exported network's training, if it was trained and failed */
  public Optional<RuntimeException> networkFailure() {
    return network.flatMap(NetworkExport::trained).map(Execution::failure);
  }

  /** @return every recorded row, first to last, with the columns of {@code history.csv} */
  public List<Map<String, Object>> history() {
    return run.history();
  }

  /** @return the first recorded row (the initial state), empty when nothing was recorded */
  public Map<String, Object> initial() {
    return run.first();
  }

  /** @return the last recorded row, empty when nothing was recorded */
  public Map<String, Object> last() {
    return run.last();
  }

  /** @return the final parameters by name (as {@code params/<name>.npy} holds them), empty after a divergence */
  public Map<String, double[]> parameters() {
    return run.parameters().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
        e -> e.getValue().data().clone(), (a, b) -> a, java.util.LinkedHashMap::new));
  }

  /** @return the shape of the parameter {@code name} */
  public int[] shape(String name) {
    Npy.Array a = run.parameters().get(name);
    if (a == null) {
      throw new IllegalArgumentException("no parameter '" + name + "'; the run has " + run.parameters().keySet());
    }
    return a.shape().clone();
  }

  /** @return the run directory, if the run had one */
  public Optional<Path> directory() {
    return Optional.ofNullable(run.dir());
  }

  /** @return the plots written into the run directory */
  public List<Path> plots() {
    return plots;
  }

  /**
   * Prints the start and end metrics, the solver's diagnostics, timing, backend and precision, the exported
   * network's risks and the plots.
   */
  public void report(PrintWriter out) {
    run.report(out);
    network.ifPresent(n -> n.report(out));
    plots.forEach(p -> out.printf("plot: %s%n", p));
  }
}
