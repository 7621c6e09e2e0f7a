package org.varflow.runtime.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.varflow.api.Options;
import org.varflow.api.SpecException;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Discretization;
import org.varflow.api.flow.FlowContext;
import org.varflow.api.flow.Footprint;
import org.varflow.api.plugin.PluginException;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.api.plugin.Refusal;
import org.varflow.api.problem.Regularizer;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.solve.Solver;
import org.varflow.api.tensor.Backend;
import org.varflow.api.tensor.Precision;
import org.varflow.runtime.Spec;
import org.varflow.runtime.data.DataSources;
import org.varflow.runtime.spec.Problems;
import org.varflow.runtime.spec.SpecSchema;

/**
 * Everything a run needs, built from a spec: seed, precision, backend, data, the continuous problem,
 * its discretization (flow in its initial state) and the solver.
 *
 * @param name the spec's name
 * @param baseDir the directory the spec's relative paths resolve against
 * @param root the run's own copy of the spec's tree, which holds the defaults read so far (the solver reads its node
 *     as it runs); confined to the run
 * @param seed run seed ({@code seed}, default 1)
 * @param precision {@code precision}, default float64
 * @param backend {@code backend}, default {@code auto}
 * @param problem the continuous problem, with every term (the discretization computes those the solver does not
 *     realize itself, {@link Solver#realizes})
 * @param discretization the plugin named by {@code discretization.kind} (default by model: {@code particles}
 *     for {@code two-layer}, {@code random-features} for {@code random-features})
 * @param flow the discrete flow
 * @param solver the plugin named by {@code solver.kind} (default {@code explicit-euler})
 * @param networkWidth {@code export.network_width}: width of the network sampled from the final density
 *     into {@code params/network/}, or 0 for none
 * @param training {@code export.train}: how to train that network, if at all
 * @param warnings what the user should know before the run starts (e.g. a backend that {@code auto} passed
 *     over because its self-check failed)
 */
public record RunPlan(String name, Path baseDir, Options root, long seed, Precision precision, Backend backend, VariationalProblem problem,
    Discretization discretization, DiscreteFlow flow, Solver solver, int networkWidth, Optional<Training> training,
    List<String> warnings) {

  private static final Pattern REGULARIZER_KEY = Pattern.compile("regularizers\\[(\\d+)]");

  /**
   * {@code export.train}: explicit Euler on the particles of the exported network (gradient descent with
   * learning rate h·N), run as a nested particles run.
   *
   * @param steps {@code export.train.steps}, at least 1
   * @param step {@code export.train.step}: h &gt; 0, or empty for {@code auto} (the default)
   */
  public record Training(int steps, OptionalDouble step) {

    /**
     * @param outerWeight Z = max_j |a_j| of the sampled network
     * @return h, given or {@code auto}: 0.5 / max(1, Z²) — the velocity of w_j is proportional to a_j, so
     *     the curvature of the energy in the inner weights, and with it the explicit Euler stability limit,
     *     scales like Z²
     */
    public double step(double outerWeight) {
      return step.orElse(0.5 / Math.max(1, outerWeight * outerWeight));
    }
  }

  /**
   * @throws SpecException naming the key or file that is wrong
   * @throws org.varflow.api.plugin.PluginException when a named plugin is missing or cannot run
   */
  public static RunPlan prepare(Spec given, PluginRegistry registry) {
    // the defaults go into a copy of the tree (a spec is immutable); the completed one is the plan's spec
    Options root = SpecSchema.root(Spec.DEFAULT_SOLVER).apply(Options.of("", Options.mutableCopy(given.root().asMap())),
        given.baseDir());
    long seed = root.getLong("seed");
    Precision precision = Precision.parse(root.getString("precision"));
    List<String> warnings = new ArrayList<>();
    String backendId = root.getString("backend");
    // an id nothing provides is a spec error naming the key; a backend that cannot run here says so itself
    boolean provided = backendId.equals("auto") || registry.backends().stream().anyMatch(b -> b.id().equals(backendId));
    Backend backend = provided ? registry.backend(backendId, warnings::add)
        : named("backend", () -> registry.backend(backendId, warnings::add));
    DataSources.Split data = DataSources.load(root, seed);
    Problems.Built built = Problems.build(root, data.train(), data.test(), registry, given.baseDir());
    VariationalProblem problem = built.problem();
    Options dNode = root.subOrEmpty("discretization");
    Discretization discretization = named(dNode.keyPath("kind"),
        () -> registry.discretization(dNode.getString("kind", built.kind().defaultDiscretization())));
    Options sNode = root.subOrEmpty("solver");
    Solver solver = named(sNode.keyPath("kind"), () -> registry.solver(sNode.getString("kind", Spec.DEFAULT_SOLVER)));
    VariationalProblem computed = problem.without(solver::realizes);
    discretization.refusal(computed).ifPresent(r -> {
      throw new SpecException(specKey(r.key(), problem, solver), r.reason() + alternatives(r, problem, computed, registry));
    });
    Problems.declared(discretization).apply(dNode, given.baseDir());
    discretization.footprint(computed, dNode, precision.bytes()).ifPresent(f -> backend.availableBytes().ifPresent(free -> {
      if (f.bytes() > free) {
        throw new SpecException(f.key(), "the flow needs about " + Footprint.human(f.bytes()) + " (" + f.what()
            + "), more than the " + Footprint.human(free) + " backend '" + backend.id() + "' has free; use a smaller"
            + " size, float32, or more memory (VARFLOW_JAVA_OPTS=-Xmx…)");
      }
    }));
    Problems.declared(solver).apply(sNode, given.baseDir());
    Refusal.require(solver.refusal(sNode));
    DiscreteFlow flow = discretization.discretize(computed, dNode, new FlowContext(backend, precision, seed));
    Optional<Refusal> refused = solver.refusal(problem, flow);
    if (refused.isPresent()) {
      flow.close();
      Refusal.require(refused);
    }
    Options export = root.sub("export").orElse(Options.empty("export"));
    int networkWidth = 0;
    if (export.has("network_width")) {
      networkWidth = export.getInt("network_width");
      if (flow.density().isEmpty()) {
        throw new SpecException("export.network_width", "discretization '" + discretization.id()
            + "' has no parameter density to sample a network from");
      }
    }
    Optional<Training> training = export.sub("train").map(train -> training(train, export));
    return new RunPlan(given.name(), given.baseDir(), root, seed, precision, backend, problem, discretization, flow,
        solver, networkWidth, training, List.copyOf(warnings));
  }

  /**
   * @param key a refusal's key for the problem without the solver's terms
   * @return the key in the spec: {@code regularizers[i]} counts the terms the solver realizes too
   */
  private static String specKey(String key, VariationalProblem problem, Solver solver) {
    Matcher index = REGULARIZER_KEY.matcher(key);
    if (!index.lookingAt()) {
      return key;
    }
    int kept = Integer.parseInt(index.group(1));
    for (int i = 0; i < problem.regularizers().size(); i++) {
      if (!solver.realizes(problem.regularizers().get(i)) && kept-- == 0) {
        return "regularizers[" + i + "]" + key.substring(index.end());
      }
    }
    return key;
  }

  /**
   * @return the installed discretizations that compute the problem, and, when a regularizer was refused, the
   *     installed solvers that realize it themselves
   */
  private static String alternatives(Refusal refusal, VariationalProblem problem, VariationalProblem computed,
      PluginRegistry registry) {
    List<String> able = registry.discretizations().stream().filter(d -> d.refusal(computed).isEmpty())
        .map(Discretization::id).sorted().toList();
    String text = able.isEmpty() ? "; no installed discretization computes this problem"
        : "; discretizations that compute this problem: " + String.join(", ", able);
    Matcher index = REGULARIZER_KEY.matcher(refusal.key());
    if (index.lookingAt()) {
      Regularizer term = computed.regularizers().get(Integer.parseInt(index.group(1)));
      List<String> realizing = registry.solvers().stream().filter(s -> s.realizes(term)).map(Solver::id).sorted().toList();
      if (!realizing.isEmpty()) {
        text += "; solvers that realize '" + term.kind() + "' themselves: " + String.join(", ", realizing);
      }
    }
    return text;
  }

  /** @return the plugin {@code lookup} finds by the id at {@code key}; a missing one is a spec error naming the key */
  private static <T> T named(String key, Supplier<T> lookup) {
    try {
      return lookup.get();
    } catch (PluginException e) {
      SpecException named = new SpecException(key, e.getMessage());
      named.initCause(e);
      throw named;
    }
  }

  private static Training training(Options train, Options export) {
    if (!export.has("network_width")) {
      throw new SpecException(train.path(), "trains the exported network: needs export.network_width");
    }
    int steps = train.getInt("steps");
    String text = train.getString("step");
    if (text.equals("auto")) {
      return new Training(steps, OptionalDouble.empty());
    }
    double step;
    try {
      step = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      step = Double.NaN;
    }
    if (!(step > 0) || Double.isInfinite(step)) {
      throw new SpecException(train.keyPath("step"), "must be a positive number or auto, got " + text);
    }
    return new Training(steps, OptionalDouble.of(step));
  }

  /** @return the {@code solver} node */
  public Options solverOptions() {
    return root.subOrEmpty("solver");
  }

  /** @return the spec as completed so far, every default read included: an immutable snapshot */
  public Spec spec() {
    return new Spec(name, root, baseDir);
  }
}
