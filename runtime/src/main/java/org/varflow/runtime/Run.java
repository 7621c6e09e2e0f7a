package org.varflow.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.varflow.api.SpecException;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.ParameterDensity;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Backend;
import org.varflow.runtime.plot.DensityPlots;
import org.varflow.runtime.run.Checkpoint;
import org.varflow.runtime.run.Execution;
import org.varflow.runtime.run.NetworkExport;
import org.varflow.runtime.run.RunPlan;

/**
 * A prepared run ({@link Varflow#prepare}): the spec checked and completed, the data loaded, the
 * continuous problem built and discretized, the solver chosen. {@link #check()} reports its well-posedness,
 * {@link #execute} runs it, {@link #resume} continues an interrupted one, {@link #interrupt()} stops it between two
 * steps. Closing it releases the discretization's tensors.
 */
public final class Run implements AutoCloseable {
  private final RunPlan plan;
  private final PluginRegistry registry;
  private final long startNanos;
  private final AtomicBoolean interrupted = new AtomicBoolean();

  Run(RunPlan plan, PluginRegistry registry, long startNanos) {
    this.plan = plan;
    this.registry = registry;
    this.startNanos = startNanos;
  }

  /** @return the spec, completed with every default (as the run directory's {@code spec.yaml} holds it) */
  public Spec spec() {
    return plan.spec();
  }

  /** @return what the user should know before the run starts (e.g. a backend {@code auto} passed over) */
  public List<String> warnings() {
    return plan.warnings();
  }

  /** @return the continuous problem */
  public VariationalProblem problem() {
    return plan.problem();
  }

  /** @return the discrete flow in its current state */
  public DiscreteFlow flow() {
    return plan.flow();
  }

  /** @return the backend the flow computes on */
  public Backend backend() {
    return plan.backend();
  }

  /** @return the well-posedness report: geometry, λ, uniqueness, rates, conditioning, stability */
  public CheckReport check() {
    return CheckReport.of(plan);
  }

  /**
   * Solves the flow. With a directory, the run directory is kept current as the run goes ({@code spec.yaml},
   * {@code history.csv} line by line) and completed at the end ({@code params/}, {@code summary.json}, the
   * exported network, plots); a run that diverges keeps what it recorded.
   *
   * @param dir the run directory, or null to keep the results in memory only
   * @param listener follows the steps and records, and may stop the run
   * @return the outcome; a divergence is reported there ({@link RunResult#failure()}), not thrown
   * @throws SpecException if the spec exports a network but there is no directory to write it to
   * @throws IOException if the run directory cannot be written
   */
  public RunResult execute(Path dir, RunListener listener) throws IOException {
    return execute(dir, listener, 0);
  }

  /**
   * Continues the run in {@code dir}, interrupted or killed, from its last checkpoint: the flow is set to the
   * checkpoint's state and the solve goes on from that step, to the same numbers and history (but
   * {@code wall_ms}) as a run that was never stopped. This run must be prepared from {@code dir/spec.yaml}.
   *
   * @throws SpecException naming {@code dir} when it holds no checkpoint, or one that does not fit this run
   * @throws IOException if the run directory cannot be written
   */
  public RunResult resume(Path dir, RunListener listener) throws IOException {
    Checkpoint checkpoint = Checkpoint.read(dir).orElseThrow(() -> new SpecException(dir.toString(),
        "holds no checkpoint to resume from (solver '" + plan.solver().id() + "' writes none, or the run stopped"
        + " before its first one)"));
    checkpoint.restore(plan.flow(), dir);
    return execute(dir, listener, checkpoint.step());
  }

  /**
   * Asks a running {@link #execute} or {@link #resume} to stop after the current step, from any thread (e.g. a
   * signal handler): it keeps the parameters and a checkpoint of that step and reports status {@code interrupted}.
   * A solver that takes no steps (stationary) finishes first.
   */
  public void interrupt() {
    interrupted.set(true);
  }

  private RunResult execute(Path dir, RunListener listener, long first) throws IOException {
    if (dir == null && plan.networkWidth() > 0) {
      throw new SpecException("export.network_width", "exporting a network needs a run directory");
    }
    Execution run = Execution.run(plan, dir, listener, startNanos, first, interrupted::get);
    if (run.failure() != null || run.interruptedAt() >= 0) {
      if (dir != null) {
        run.writeSummary(Map.of());
      }
      return new RunResult(run, Optional.empty(), List.of());
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    Optional<NetworkExport> network = Optional.empty();
    if (plan.networkWidth() > 0) {
      network = Optional.of(NetworkExport.write(run, registry, listener));
      extra.put("network", network.get().summary());
    }
    List<Path> plots = List.of();
    Optional<ParameterDensity> density = plan.flow().density();
    if (dir != null && density.isPresent()) {
      plots = DensityPlots.write(dir.resolve("plots"), density.get(), "u* (" + plan.discretization().id() + ")",
          network.flatMap(NetworkExport::particles)).stream().map(DensityPlots.Plot::file).toList();
      if (!plots.isEmpty()) {
        extra.put("plots", plots.stream().map(p -> dir.relativize(p).toString()).toList());
      }
    }
    if (dir != null) {
      run.writeSummary(extra);
    }
    return new RunResult(run, network, plots);
  }

  /** Releases the tensors of the flow; the run cannot be executed afterwards. */
  @Override
  public void close() {
    plan.flow().close();
  }
}
