package org.varflow.runtime.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.varflow.api.OptionSchema;
import org.varflow.api.plugin.Plugin;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.api.problem.ModelKind;
import org.varflow.api.tensor.Precision;

/**
 * The declared keys of a spec outside the plugins' nodes — seed, precision, backend, data, export, study — and the
 * JSON Schema of a whole spec for the installed plugins.
 */
public final class SpecSchema {
  /** One data source: arrays, a CSV file, or a generator. */
  static final OptionSchema SOURCE = OptionSchema.builder()
      .variant("x", null, "arrays: X (n, d) and y (n) in .npy files", OptionSchema.builder()
          .path("x", "X.npy, shape (n, d) or (n)")
          .path("y", "y.npy, shape (n)").required()
          .build(), false)
      .variant("csv", null, "a CSV file with a header row; the other columns are the inputs", OptionSchema.builder()
          .path("csv", "the file")
          .string("target", null, "the label column").required()
          .build(), false)
      .variant("generator", "teacher", "f*(x) = Σ_t a_t ReLU(w_t·x)/√k, w_t on the unit sphere",
          generator().integer("k", 5L, "teacher neurons").atLeast(1).build(), false)
      .variant("generator", "sines", "f*(x) = sin(p·x) + cos(q·x), |p| = |q| = frequency",
          generator().number("frequency", 1.0, "|p| = |q|").build(), false)
      .build();

  /** The {@code data} node. */
  static final OptionSchema DATA = OptionSchema.builder()
      .node("train", "the training data", SOURCE).required()
      .node("test", "held-out data for reporting", SOURCE)
      .number("split", null, "instead of test: hold out this fraction of the shuffled training rows").positive().atMost(1)
      .build();

  /** The {@code export} node. */
  static final OptionSchema EXPORT = OptionSchema.builder()
      .integer("network_width", null, "sample a width-N network from the final density into params/network/").atLeast(1)
      .node("train", "train the sampled network by explicit Euler as a nested particles run in network/", OptionSchema.builder()
          .integer("steps", null, "explicit-Euler steps").atLeast(1).required()
          .string("step", "auto", "h > 0, or auto: 0.5/max(1, Z²) with Z = max_j |a_j|")
          .build())
      .build();

  /**
   * The {@code study} node: what {@code varflow study} runs when no {@code --vary} is given, how its rates are fitted
   * and what they are measured against. {@code varflow run} ignores it, and a study's runs do not carry it.
   */
  public static final OptionSchema STUDY = OptionSchema.builder()
      .node("vary", "the varied keys: KEY: [V1, V2, ...] for each, as --vary KEY=V1,V2,... gives them", null)
      .integer("seeds", null, "seeds per point: the spec's seed s to s + K - 1").computedDefault("1").atLeast(1)
      .string("metric", null, "the final metric the rates are fitted to").computedDefault("test_risk")
      .choice("fit", null, "loglog: log metric against log key (a power law, slope = exponent); semilog: log metric"
          + " against the key (an exponential, slope = -rate)", List.of("loglog", "semilog")).computedDefault("loglog")
      .node("reference", "fit |metric - reference| instead of the metric: the reference is the spec with these keys"
          + " set, run once per seed", OptionSchema.builder()
          .node("set", "keys of the spec to set for the reference run (KEY: VALUE, as --set gives them)", null)
          .string("metric", null, "the reference run's metric").computedDefault("the study's metric")
          .build())
      .build();

  private SpecSchema() {}

  private static OptionSchema.Builder generator() {
    return OptionSchema.builder()
        .integer("n", 1000L, "samples").atLeast(1)
        .integer("d", 10L, "input dimension").atLeast(1)
        .choice("inputs", "gaussian", "x ~ N(0, s² I), uniform on the sphere of radius s√d, or uniform on the box"
            + " [−s√3, s√3]^d (E|x|² = s²d for all three)", List.of("gaussian", "sphere", "box"))
        .number("input_scale", 1.0, "s").positive()
        .number("noise", 0.0, "standard deviation of the label noise").atLeast(0)
        .integer("function_seed", null, "seed of the target function").computedDefault("the run's seed");
  }

  /**
   * @param defaultSolver {@code solver.kind} when the spec gives none
   * @return the spec's own keys; the plugin nodes (model, regularizers, discretization, solver) are mappings
   *     checked with the options of the plugin their kind names
   */
  public static OptionSchema root(String defaultSolver) {
    return OptionSchema.builder()
        .integer("seed", 1L, "seeds every random draw: same spec + seed + backend ⇒ same numbers")
        .choice("precision", Precision.FLOAT64.id(), "element precision",
            List.of(Precision.FLOAT64.id(), Precision.FLOAT32.id()))
        .string("backend", "auto", "auto (the available backend of highest priority) or a backend id")
        .node("data", "training and test data", DATA).required()
        .node("model", "the continuous model; kind names a model plugin", null)
        .nodes("regularizers", "functionals added to the risk; each kind names a regularizer plugin", null)
        .node("discretization", "kind names a discretization plugin (default: the model's)", null)
        .node("solver", "kind names a solver plugin (default: " + defaultSolver + ")", null)
        .node("export", "what to derive from the final state", EXPORT)
        .node("study", "the defaults of varflow study for this spec (ignored by varflow run)", STUDY)
        .build();
  }

  /**
   * @return the JSON Schema (draft-07) of a spec for the plugins of {@code registry}: the spec's own keys,
   *     and for each plugin node one alternative per installed plugin, selected by {@code kind}
   */
  public static Map<String, Object> jsonSchema(PluginRegistry registry, String defaultModel, String defaultSolver) {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("$schema", "http://json-schema.org/draft-07/schema#");
    schema.put("title", "varflow spec");
    schema.putAll(JsonSchemas.of(root(defaultSolver), "A varflow run: data, a continuous model and its regularizers,"
        + " a discretization, a solver"));
    @SuppressWarnings("unchecked")
    Map<String, Object> properties = (Map<String, Object>) schema.get("properties");
    properties.put("model", union(registry.models(), Set.of(defaultModel), "the continuous model"));
    Map<String, Object> regularizers = new LinkedHashMap<>();
    regularizers.put("type", "array");
    regularizers.put("items", union(registry.regularizers(), Set.of(), "a regularizing functional"));
    properties.put("regularizers", regularizers);
    Set<String> modelDefaults = registry.models().stream().map(ModelKind::defaultDiscretization)
        .collect(Collectors.toSet());
    properties.put("discretization", union(registry.discretizations(), modelDefaults,
        "the discretization (default: the model's)"));
    properties.put("solver", union(registry.solvers(), Set.of(defaultSolver), "the solver"));
    return schema;
  }

  /**
   * @param defaults the ids a node may select without {@code kind} (the default plugin)
   * @return one alternative per plugin: its options and {@code kind} equal to its id
   */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> union(List<? extends Plugin> plugins, Set<String> defaults, String description) {
    List<Object> alternatives = new ArrayList<>();
    for (Plugin p : plugins) {
      Map<String, Object> alternative = JsonSchemas.of(Problems.declared(p), p.description());
      List<Map<String, Object>> objects = alternative.containsKey("oneOf")
          ? (List<Map<String, Object>>) alternative.get("oneOf") : List.of(alternative);
      for (Map<String, Object> object : objects) {
        ((Map<String, Object>) object.get("properties")).put("kind", Map.of("const", p.id()));
        if (!defaults.contains(p.id())) {
          List<String> required = new ArrayList<>((List<String>) object.getOrDefault("required", List.of()));
          required.add("kind");
          object.put("required", required);
        }
      }
      alternatives.add(alternative);
    }
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("description", description);
    // any, not one: without kind, the alternatives of similar plugins can all fit a node
    s.put("anyOf", alternatives);
    return s;
  }
}
