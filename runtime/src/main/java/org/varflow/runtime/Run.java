package org.varflow.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.varflow.runtime.plot.HistoryPlot;
import org.varflow.runtime.plot.ParticlePlot;
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
  /** Half the most records the history plot draws (a longer history is thinned evenly). */
  private static final int PLOTTED_RECORDS = 1000;

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
   * Solves the flow. With a directory, the directory is locked for this run, marked as its run directory with what
   * determines its numbers (see {@link RunDirectory}), kept current as the run goes ({@code spec.yaml},
   * {@code history.csv} line by line) and completed at the end ({@code params/}, {@code summary.json}, the exported
   * network, plots); a run that diverges or is interrupted keeps what it recorded and its summary.
   *
   * @param dir the run directory (created if absent), or null to keep the results in memory only
   * @param listener follows the steps and records, and may stop the run
   * @return the outcome; a divergence is reported there ({@link RunResult#failure()}), not thrown
   * @throws SpecException if the spec exports a network but there is no directory to write it to, or another run
   *     writes the directory
   * @throws IOException if the run directory cannot be written
   */
  public RunResult execute(Path dir, RunListener listener) throws IOException {
    if (dir == null) {
      return execute(null, listener, null);
    }
    Files.createDirectories(dir);
    try (RunDirectory.Lock lock = RunDirectory.lock(dir)) {
      RunDirectory.pin(dir, asRun());
      return execute(dir, listener, null);
    }
  }

  /**
   * Continues the run in {@code dir}, interrupted or killed, from its last checkpoint: the flow is set to the
   * checkpoint's state and the run goes on from there (past its solve, when that had ended), to the same numbers and
   * history (but {@code wall_ms}) as a run that was never stopped. This run must be prepared from the directory's
   * spec ({@link RunDirectory#spec}), unchanged in all that determines the numbers.
   *
   * @throws SpecException naming {@code dir} when another process writes it, when it holds no checkpoint, or one that
   *     does not fit this run, or naming the key of its spec that changed since the run started
   * @throws IOException if the run directory cannot be written
   */
  public RunResult resume(Path dir, RunListener listener) throws IOException {
    try (RunDirectory.Lock lock = RunDirectory.lock(dir)) {
      RunDirectory.checkPinned(dir, asRun());
      Optional<String> done = RunDirectory.completed(dir);
      Checkpoint checkpoint = Checkpoint.read(dir).orElseThrow(() -> new SpecException(dir.toString(),
          done.isPresent() ? "the run is complete (status " + done.get() + "): nothing to resume"
          : "holds no checkpoint to resume from (solver '" + plan.solver().id() + "' writes none, or the run stopped"
          + " before its first one)"));
      return execute(dir, listener, checkpoint);
    }
  }

  /** @return the spec as it runs: with the backend that runs it (also when it says auto) */
  private Spec asRun() {
    return plan.spec().with("backend", plan.backend().id());
  }

  /**
   * Asks a running {@link #execute} or {@link #resume} to stop from any thread (e.g. a signal handler): a solve
   * stops after the current step and keeps the parameters and a checkpoint of that step; after the solve, the
   * exported network's training stops likewise and plots are not drawn. The run reports status
   * {@code interrupted}. A solver that takes no steps (stationary) finishes its solve first.
   */
  public void interrupt() {
    interrupted.set(true);
  }

  private RunResult execute(Path dir, RunListener listener, Checkpoint from) throws IOException {
    if (dir == null && plan.networkWidth() > 0) {
      throw new SpecException("export.network_width", "exporting a network needs a run directory");
    }
    Execution run = Execution.run(plan, dir, listener, startNanos, from, interrupted::get);
    if (run.failure() != null || run.interruptedAt() >= 0) {
      if (dir != null) {
        run.writeSummary(Map.of());
      }
      return new RunResult(run, Optional.empty(), List.of(), Optional.empty());
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    Optional<NetworkExport> network = Optional.empty();
    if (plan.networkWidth() > 0) {
      network = Optional.of(NetworkExport.write(run, registry, listener, from != null, interrupted::get));
      extra.put("network", network.get().summary());
    }
    Optional<String> stopped = network.filter(NetworkExport::interrupted)
        .map(n -> "in the training of the exported network");
    List<Path> plots = List.of();
    Optional<ParameterDensity> density = plan.flow().density();
    if (dir != null && stopped.isEmpty()) {
      Optional<List<Path>> drawn = plots(dir, run.historySample(PLOTTED_RECORDS), density, network);
      // the density's plots are results of the run, which a resume draws; the history plot alone is not
      stopped = drawn.isEmpty() && density.isPresent() ? Optional.of("before the plots were drawn") : Optional.empty();
      plots = drawn.orElse(List.of());
      if (!plots.isEmpty()) {
        extra.put("plots", plots.stream().map(p -> dir.relativize(p).toString()).toList());
      }
    }
    Optional<String> interruption = stopped.map(phase -> "interrupted after the solve (" + run.steps() + " steps), "
        + phase);
    interruption.ifPresent(what -> {
      extra.put("status", "interrupted");
      extra.put("message", what + "; the run continues from there when resumed");
    });
    if (dir != null) {
      run.writeSummary(extra);
      if (interruption.isEmpty()) {
        Checkpoint.delete(dir); // the run is done: nothing is left to resume
      }
    }
    return new RunResult(run, network, plots, interruption);
  }

  /**
   * Draws the plots: {@code plots/history.png} of every run, {@code plots/particles.png} of a particle cloud in one
   * or two coordinates, and those of the density when there is one; each also as SVG.
   *
   * @return the plots drawn; empty when the run is interrupted first or meanwhile (the JVM may be shutting down)
   */
  private Optional<List<Path>> plots(Path dir, List<Map<String, Object>> history, Optional<ParameterDensity> density,
      Optional<NetworkExport> network) throws IOException {
    if (interrupted.get()) {
      return Optional.empty();
    }
    try {
      List<Path> plots = new ArrayList<>();
      String kinds = plan.discretization().id() + ", " + plan.solver().id();
      plots.add(HistoryPlot.write(dir.resolve("plots").resolve("history.png"), history, plan.name() + " ("
          + kinds + ")"));
      ParticlePlot.write(dir.resolve("plots").resolve("particles.png"), plan.flow(),
          plan.root().subOrEmpty("model").getBoolean("bias", false), "particles at the end (" + kinds + ")")
          .ifPresent(p -> plots.add(p.file()));
      if (density.isPresent()) {
        DensityPlots.write(dir.resolve("plots"), density.get(), "u* (" + plan.discretization().id() + ")",
            network.flatMap(NetworkExport::particles)).forEach(p -> plots.add(p.file()));
      }
      return Optional.of(plots);
    } catch (IllegalStateException shutdown) {
      if (interrupted.get()) {
        return Optional.empty(); // image writers cannot start once a signal has begun the JVM's shutdown
      }
      throw shutdown;
    }
  }

  /** Releases the tensors of the flow; the run cannot be executed afterwards. */
  @Override
  public void close() {
    plan.flow().close();
  }
}
