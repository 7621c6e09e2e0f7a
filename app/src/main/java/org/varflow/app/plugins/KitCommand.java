package org.varflow.app.plugins;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.jar.JarFile;
import org.varflow.api.SpecException;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Discretization;
import org.varflow.api.flow.FlowContext;
import org.varflow.api.flow.Particles;
import org.varflow.api.plugin.Plugin;
import org.varflow.api.plugin.PluginException;
import org.varflow.api.plugin.PluginInfo;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.api.plugin.Refusal;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.Loss;
import org.varflow.api.problem.RegularizerKind;
import org.varflow.api.problem.TwoLayerModel;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.solve.Solver;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Precision;
import org.varflow.kit.Check;
import org.varflow.kit.DiscretizationKit;
import org.varflow.kit.Kit;
import org.varflow.kit.Metric;
import org.varflow.kit.RegularizerKit;
import org.varflow.kit.SolverKit;
import org.varflow.runtime.Varflow;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code varflow kit JAR}: loads the plugins of one jar alone (neither the built-in ones nor the plugin directory, so
 * that a plugin may share an id with one of them) and runs the plugin kit of each on every available backend — {@link SolverKit} on a solver (with the order {@code --order}
 * claims), {@link RegularizerKit} on a regularizer that is a particle potential (strength 0.5 where it has one), and
 * {@link DiscretizationKit} on a discretization that computes a small two-layer tanh problem (width 8 where it has
 * one; in the metric I/m of m particles of equal mass, the gradient check skipped for a flow of another kind). It
 * prints one line per check — {@code pass}, {@code fail} with the message, or {@code skip} with the reason — and
 * exits 0 when every check passes, 1 when one fails or a plugin of the jar cannot be loaded, 2 for a path that is no
 * jar or a jar without plugins.
 */
@Command(name = "kit", description = "Check the plugins of one jar with the plugin kit on every available backend:"
    + " one line per check; exit 0 when all pass, 1 when one fails.")
public final class KitCommand implements Callable<Integer> {
  /** The discretization kit's problem: f(x) = ∫ a tanh(w·(x, 1)) dρ on 12 samples in R², no regularizers. */
  private static final String PROBLEM = "two-layer tanh network with a bias, 12 samples in R², no regularizers";

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "JAR", description = "The plugin jar (a named module, or a plain jar with"
      + " META-INF/services), loaded alone: not with the plugin directory, so modules it needs besides varflow's own"
      + " cannot be loaded.")
  Path jar;

  @Option(names = "--order", paramLabel = "P", description = "The order of accuracy its solvers claim, checked on the"
      + " kit's flows (default: not checked).")
  Integer order;

  private PrintWriter out;
  private int passed;
  private int failed;
  private int skipped;

  @Override
  public Integer call() {
    requireJar();
    PluginRegistry registry = Varflow.pluginsOf(jar);
    out = spec.commandLine().getOut();
    for (PluginInfo broken : registry.broken()) {
      String kind = broken.kind().equals("plugin") ? "" : broken.kind() + " "; // "plugin": its modules did not resolve
      fail(kind + "plugin in " + jar.getFileName(), "loading", broken.status());
    }
    int found = 0;
    for (Map.Entry<String, List<? extends Plugin>> kind : registry.byKind().entrySet()) {
      for (Plugin p : kind.getValue()) {
        found++;
        check(kind.getKey(), p);
      }
    }
    if (found == 0 && registry.broken().isEmpty()) {
      throw new PluginException(jar + " provides no varflow plugin: a plugin jar declares its providers of"
          + " org.varflow.api.solve.Solver, …flow.Discretization, …problem.RegularizerKind, …problem.ModelKind or"
          + " …tensor.Backend with 'provides' in its module-info.java, or in META-INF/services");
    }
    out.printf("%d passed, %d failed, %d skipped%n", passed, failed, skipped);
    out.flush();
    return failed > 0 ? 1 : 0;
  }

  /** @throws CommandLine.ParameterException (exit 2) unless {@link #jar} is a readable jar file */
  private void requireJar() {
    String why = null;
    if (!Files.exists(jar)) {
      why = "no such file";
    } else if (!Files.isRegularFile(jar)) {
      why = "not a file";
    } else {
      try (JarFile file = new JarFile(jar.toFile())) {
        file.size();
      } catch (IOException e) {
        why = "not a jar file (" + e.getMessage() + ")";
      }
    }
    if (why != null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "JAR: " + jar + ": " + why);
    }
  }

  private void check(String kind, Plugin plugin) {
    String who = kind + " " + plugin.id();
    if (plugin instanceof Solver solver) {
      if (solver.options().admitsEmpty()) {
        run(who, order == null ? SolverKit.of(solver) : SolverKit.of(solver).order(order));
      } else {
        skip(who, "needs options the kit cannot choose (it has required options)");
      }
    } else if (plugin instanceof RegularizerKind regularizer) {
      regularizer(who, regularizer);
    } else if (plugin instanceof Discretization discretization) {
      discretization(who, discretization);
    } else {
      skip(who, "no kit for a " + kind + ": " + (kind.equals("backend") ? "a backend's build runs the conformance"
          + " suite (varflow-backend-conformance)" : "it is checked through the DiscretizationKit of a discretization"
          + " that computes it"));
    }
  }

  private void regularizer(String who, RegularizerKind kind) {
    Map<String, Object> options = new HashMap<>();
    kind.options().option("strength").ifPresent(o -> options.put("strength", 0.5));
    try {
      run(who, RegularizerKit.of(kind, options));
    } catch (SpecException e) {
      skip(who, "cannot be created from " + options + " and its defaults: " + e.getMessage());
    }
  }

  private void discretization(String who, Discretization plugin) {
    VariationalProblem problem = problem();
    Optional<Refusal> refusal = plugin.refusal(problem);
    if (refusal.isPresent()) {
      skip(who, "refuses the kit's problem (" + PROBLEM + "): " + refusal.get());
      return;
    }
    Map<String, Object> options = new HashMap<>();
    plugin.options().option("width").ifPresent(o -> options.put("width", 8));
    DiscretizationKit kit = DiscretizationKit.of(plugin, problem, options);
    Optional<Particles> particles;
    try (DiscreteFlow flow = plugin.discretize(problem, options, new FlowContext(kit.backends().get(0),
        Precision.FLOAT64, 1))) {
      particles = flow.particles().filter(p -> p.masses().isEmpty());
    } catch (SpecException e) {
      skip(who, "cannot be created from " + options + " and its defaults: " + e.getMessage());
      return;
    } catch (RuntimeException | LinkageError e) {
      fail(who, "discretize", e.toString());
      return;
    }
    particles.ifPresentOrElse(p -> kit.metric(Metric.scaled(1.0 / p.count())), () -> skip(who,
        "velocityIsTheMetricGradient: its flow has no particles of equal mass, so its metric is its own (check it in"
        + " the plugin's tests with DiscretizationKit.metric)"));
    run(who, kit.checks().stream().filter(c -> particles.isPresent()
        || !c.name().startsWith("velocityIsTheMetricGradient")).toList(), kit.skipped());
  }

  /** @return the discretization kit's problem: 12 samples x ∈ [−1, 1]², y = sin(x₁) + x₂/2 */
  private static VariationalProblem problem() {
    SplittableRandom rng = new SplittableRandom(1);
    double[] x = rng.doubles(24, -1, 1).toArray();
    double[] y = new double[12];
    for (int i = 0; i < y.length; i++) {
      y[i] = Math.sin(x[2 * i]) + 0.5 * x[2 * i + 1];
    }
    return new VariationalProblem(new Dataset("kit", 12, 2, x, y), null, new TwoLayerModel(Activation.TANH, true),
        Loss.SQUARED, List.of());
  }

  private void run(String who, Kit kit) {
    run(who, kit.checks(), kit.skipped());
  }

  /** Runs each check, printing whether it passed (a plugin's exception fails it), then what the kit skipped. */
  private void run(String who, List<Check> checks, List<String> reasons) {
    for (Check check : checks) {
      try {
        check.run();
        passed++;
        out.println("pass  " + who + ": " + check.name());
      } catch (AssertionError e) {
        fail(who, check.name(), e.getMessage());
      } catch (RuntimeException | LinkageError e) {
        fail(who, check.name(), e.toString());
      }
      out.flush();
    }
    reasons.forEach(reason -> skip(who, reason));
  }

  private void fail(String who, String check, String message) {
    failed++;
    out.println("fail  " + who + ": " + check + ": " + String.valueOf(message).replaceAll("\\R", " "));
  }

  private void skip(String who, String reason) {
    skipped++;
    out.println("skip  " + who + ": " + reason);
  }
}
