package org.varflow.runtime.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.varflow.api.Options;
import org.varflow.api.io.Npy;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.api.problem.DensityModel;
import org.varflow.api.problem.TwoLayerModel;
import org.varflow.runtime.RunListener;
import org.varflow.runtime.Spec;
import org.varflow.runtime.plot.Network;

/**
 * {@code export.network_width: N}: the width-N network sampled from the final density, written to
 * {@code params/network/}; with {@code export.train}, trained by a nested particles run in {@code network/}
 * (a complete run directory: {@code ./varflow run <run>/network/spec.yaml} repeats it).
 */
public final class NetworkExport {
  private static final String SAMPLED = "params/network";
  private static final String NESTED = "network";

  private final RunPlan plan;
  private final Network sampled;
  private final Execution trained;
  private final Network trainedNetwork;
  private final double step;
  private final boolean interruptedBeforeTraining;

  private NetworkExport(RunPlan plan, Network sampled, Execution trained, Network trainedNetwork, double step,
      boolean interruptedBeforeTraining) {
    this.plan = plan;
    this.sampled = sampled;
    this.trained = trained;
    this.trainedNetwork = trainedNetwork;
    this.step = step;
    this.interruptedBeforeTraining = interruptedBeforeTraining;
  }

  /** @return whether the run was interrupted before the network's training ended */
  public boolean interrupted() {
    return interruptedBeforeTraining || trained != null && trained.interruptedAt() >= 0;
  }

  /**
   * Samples the network from the completed {@code parent} run and trains it if the plan says so.
   *
   * @param resume whether the parent run was resumed: the nested training then continues from its own checkpoint
   * @param interrupted asked between steps of the training (and before it) whether to stop
   */
  public static NetworkExport write(Execution parent, PluginRegistry registry, RunListener listener, boolean resume,
      BooleanSupplier interrupted) throws IOException {
    RunPlan plan = parent.plan();
    Map<String, Npy.Array> params = Execution.arrays(plan.flow().density().orElseThrow().sample(plan.networkWidth(),
        plan.seed()));
    Path sampledDir = parent.dir().resolve(SAMPLED);
    Network sampled = network(params, "sampled from u*");
    Execution.writeParams(sampledDir, params, plan.precision());
    Execution trained = null;
    Network trainedNetwork = null;
    double step = Double.NaN;
    if (plan.training().isPresent()) {
      if (interrupted.getAsBoolean()) {
        return new NetworkExport(plan, sampled, null, null, step, true);
      }
      long t0 = System.nanoTime();
      Path dir = parent.dir().resolve(NESTED);
      double outerWeight = Arrays.stream(sampled.a()).map(Math::abs).max().orElse(0);
      step = plan.training().get().step(outerWeight);
      RunPlan nested = RunPlan.prepare(nestedSpec(plan, registry, sampledDir, step), registry);
      try {
        Checkpoint from = resume ? Checkpoint.read(dir).orElse(null) : null;
        trained = Execution.run(nested, dir, listener, t0, from, interrupted);
        trained.writeSummary(Map.of());
        if (trained.failure() == null && trained.interruptedAt() < 0) {
          trainedNetwork = network(trained.parameters(), String.format(Locale.ROOT, "trained %d steps (h = %.3g)",
              plan.training().get().steps(), step));
        }
      } finally {
        nested.flow().close();
      }
    }
    return new NetworkExport(plan, sampled, trained, trainedNetwork, step, false);
  }

  /**
   * The nested run: the two-layer model with the same activation and a bias, no regularizers, the parent's
   * data (a copy; its file paths are absolute), seed, precision and backend; the two-layer model's default
   * discretization (particles) starting from the sampled network ({@code init.npy}); the default solver
   * (explicit Euler) with the step h ({@link RunPlan.Training#step(double)}) and {@code steps}.
   */
  private static Spec nestedSpec(RunPlan parent, PluginRegistry registry, Path sampledDir, double step) {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("seed", parent.seed());
    tree.put("precision", parent.precision().id());
    tree.put("backend", parent.backend().id());
    tree.put("data", new ObjectMapper().convertValue(parent.spec().root().asMap().get("data"), LinkedHashMap.class));
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("kind", TwoLayerModel.KIND);
    model.put("activation", ((DensityModel) parent.problem().model()).activation().id());
    model.put("bias", true);
    tree.put("model", model);
    tree.put("regularizers", List.of());
    Map<String, Object> discretization = new LinkedHashMap<>();
    discretization.put("kind", registry.model(TwoLayerModel.KIND).defaultDiscretization());
    discretization.put("init", new LinkedHashMap<>(Map.of("npy", sampledDir.toAbsolutePath().normalize().toString())));
    tree.put("discretization", discretization);
    Map<String, Object> solver = new LinkedHashMap<>();
    solver.put("kind", Spec.DEFAULT_SOLVER);
    solver.put("step", step);
    solver.put("steps", parent.training().orElseThrow().steps());
    tree.put("solver", solver);
    return new Spec(NESTED, Options.of("", tree), parent.spec().baseDir());
  }

  /** @return the nested run, if the network was trained */
  public Optional<Execution> trained() {
    return Optional.ofNullable(trained);
  }

  /** @return the particles to draw over u*: the trained ones, or the sampled ones; none if training failed */
  public Optional<Network> particles() {
    return trained == null ? Optional.of(sampled) : Optional.ofNullable(trainedNetwork);
  }

  private static Network network(Map<String, Npy.Array> params, String origin) {
    return new Network(params.get("a").data(), params.get("W").data(), origin);
  }

  /** @return the {@code network} entry of the parent's summary: width, files, risks sampled and trained */
  public Map<String, Object> summary() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("width", plan.networkWidth());
    s.put("params", SAMPLED);
    if (trained != null) {
      s.put("sampled", risks(trained.first()));
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("run", NESTED);
      t.put("status", trained.status());
      t.put("steps", trained.steps());
      t.put("step", step);
      t.putAll(risks(trained.last()));
      s.put("trained", t);
    }
    return s;
  }

  private static Map<String, Object> risks(Map<String, Object> row) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("train_risk", row.get("train_risk"));
    r.put("test_risk", row.get("test_risk"));
    return Execution.nullForNaN(r);
  }

  /** Prints the network's risks, sampled and trained, when it was trained. */
  public void report(PrintWriter out) {
    if (trained == null) {
      return;
    }
    out.printf(Locale.ROOT, "%n%-12s %14s %14s%n", "network", "sampled", "trained");
    for (String key : List.of("train_risk", "test_risk")) {
      out.printf(Locale.ROOT, "%-12s %14s %14s%n", key, Execution.cell(trained.first().get(key)),
          Execution.cell(trained.last().get(key)));
    }
    out.printf(Locale.ROOT, "%-12s %14d %14d%n", "width", plan.networkWidth(), plan.networkWidth());
    out.printf(Locale.ROOT, "%-12s %14s %14d%n", "steps", "", trained.steps());
  }
}
