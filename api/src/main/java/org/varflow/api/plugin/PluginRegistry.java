package org.varflow.api.plugin;

import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.varflow.api.flow.Discretization;
import org.varflow.api.problem.ModelKind;
import org.varflow.api.problem.RegularizerKind;
import org.varflow.api.solve.Solver;
import org.varflow.api.tensor.Backend;

/**
 * The backends, discretizations, solvers, model kinds and regularizer kinds visible to a class loader, found with
 * {@link ServiceLoader} (named modules with {@code provides}, and {@code META-INF/services} on the class
 * path). Ids are unique per kind: two providers of one id fail fast naming both modules. Lookups of a
 * missing id fail listing the installed ones.
 */
public final class PluginRegistry {
  private static final System.Logger LOG = System.getLogger(PluginRegistry.class.getName());
  private final Map<String, Backend> backends;
  private final Map<String, Discretization> discretizations;
  private final Map<String, Solver> solvers;
  private final Map<String, ModelKind> models;
  private final Map<String, RegularizerKind> regularizers;
  private final List<PluginInfo> broken;

  private PluginRegistry(List<? extends Plugin> plugins, List<PluginInfo> broken) {
    this.broken = List.copyOf(broken);
    this.backends = index("backend", plugins, Backend.class);
    this.discretizations = index("discretization", plugins, Discretization.class);
    this.solvers = index("solver", plugins, Solver.class);
    this.models = index("model", plugins, ModelKind.class);
    this.regularizers = index("regularizer", plugins, RegularizerKind.class);
  }

  /**
   * Loads every provider visible to {@code loader}.
   *
   * @param loader the loader whose modules and class path are searched
   * @return the registry
   * @throws PluginException if two providers share an id
   */
  public static PluginRegistry load(ClassLoader loader) {
    return load(loader, List.of(), List.of());
  }

  /**
   * Loads every provider visible to {@code loader}, and those of the modules of each plugin layer. A
   * provider that cannot be loaded, or was built against an incompatible version of this api, is logged,
   * listed by {@link #broken()} and {@link #describe()}, and skipped.
   *
   * @param loader the loader of the built-in plugins (the boot layer and the class path)
   * @param layers plugin layers, children of the boot layer, one per plugin
   * @param brokenLayers plugins that could not even be put in a layer (kind {@code plugin})
   * @return the registry
   * @throws PluginException if two providers of one kind share an id
   */
  public static PluginRegistry load(ClassLoader loader, List<ModuleLayer> layers, List<PluginInfo> brokenLayers) {
    List<Plugin> all = new ArrayList<>();
    List<PluginInfo> broken = new ArrayList<>(brokenLayers);
    for (Discovery.Kind kind : Discovery.KINDS) {
      Discovery.discover(kind, ServiceLoader.load(kind.type(), loader), p -> true, all, broken);
      for (ModuleLayer layer : layers) {
        // a layer's loader also sees the boot layer: keep only the providers of the layer's own modules
        Discovery.discover(kind, ServiceLoader.load(layer, kind.type()), p -> p.getClass().getModule().getLayer() == layer,
            all, broken);
      }
    }
    PluginRegistry registry = new PluginRegistry(all, broken);
    registry.byKind().forEach((kind, plugins) -> plugins.forEach(p -> LOG.log(System.Logger.Level.INFO,
        "found {0} ''{1}'' {2} in module {3} ({4})", kind, p.id(), p.version(), moduleName(p), location(p))));
    broken.forEach(b -> LOG.log(System.Logger.Level.WARNING, skipped(b)));
    return registry;
  }

  /** @return the warning about a plugin found but not usable, e.g. {@code skipped a solver plugin from …} */
  static String skipped(PluginInfo b) {
    // a plugin whose modules do not resolve has no kind yet: its kind reads "plugin"
    return "skipped a " + (b.kind().equals("plugin") ? "" : b.kind() + " ") + "plugin from " + b.module() + " ("
        + b.location() + "): " + b.status();
  }

  /**
   * @param plugins explicit providers (tests, embedding)
   * @return the registry
   * @throws PluginException if two providers of one kind share an id
   */
  public static PluginRegistry of(List<? extends Plugin> plugins) {
    return new PluginRegistry(plugins, List.of());
  }

  /** @return the plugins that were found but could not be used, with the reason in {@link PluginInfo#status()} */
  public List<PluginInfo> broken() {
    return broken;
  }

  /** @return all backends, highest priority first */
  public List<Backend> backends() {
    return backends.values().stream()
        .sorted(Comparator.comparingInt(Backend::priority).reversed())
        .collect(Collectors.toList());
  }

  /** @return all discretizations by id */
  public List<Discretization> discretizations() {
    return List.copyOf(discretizations.values());
  }

  /** @return all solvers by id */
  public List<Solver> solvers() {
    return List.copyOf(solvers.values());
  }

  /**
   * @return every plugin by kind ({@code backend}, {@code discretization}, {@code solver}, {@code model},
   *     {@code regularizer}), in the order {@link #describe()} lists them
   */
  public Map<String, List<? extends Plugin>> byKind() {
    Map<String, List<? extends Plugin>> out = new LinkedHashMap<>();
    out.put("backend", backends());
    out.put("discretization", discretizations());
    out.put("solver", solvers());
    out.put("model", models());
    out.put("regularizer", regularizers());
    return out;
  }

  /** @return all model kinds by id */
  public List<ModelKind> models() {
    return List.copyOf(models.values());
  }

  /** @return all regularizer kinds by id */
  public List<RegularizerKind> regularizers() {
    return List.copyOf(regularizers.values());
  }

  /**
   * @return the model kind with this id ({@code model.kind})
   * @throws PluginException listing the installed ones if there is none
   */
  public ModelKind model(String id) {
    return find("model", models, id);
  }

  /**
   * @return the regularizer kind with this id ({@code regularizers[i].kind})
   * @throws PluginException listing the installed ones if there is none
   */
  public RegularizerKind regularizer(String id) {
    return find("regularizer", regularizers, id);
  }

  /**
   * {@link #backend(String, Consumer)} that logs the backends {@code auto} passes over as warnings.
   *
   * @param id a backend id, or {@code auto} for the available backend of highest priority
   * @return the backend, which is available
   * @throws PluginException if it is missing or cannot run here
   */
  public Backend backend(String id) {
    return backend(id, warning -> LOG.log(System.Logger.Level.WARNING, warning));
  }

  /**
   * @param id a backend id, or {@code auto} for the available backend of highest priority
   * @param warnings receives one line for each backend of higher priority that {@code auto} passed over
   *     because it cannot run here (with the reason and the backend chosen instead), except those whose
   *     {@link Backend#deviceAbsent() device is absent}
   * @return the backend, which is available
   * @throws PluginException if it is missing or cannot run here
   */
  public Backend backend(String id, Consumer<String> warnings) {
    if ("auto".equals(id)) {
      Backend chosen = backends().stream()
          .filter(Backend::isAvailable)
          .findFirst()
          .orElseThrow(() -> new PluginException("no available backend among [" + describeBackends()
              + "]; put a backend's jar into ./plugins/ (varflow ships jvm, which runs everywhere)"));
      backends().stream()
          .takeWhile(b -> b != chosen)
          .filter(b -> !b.deviceAbsent())
          .forEach(b -> warnings.accept("backend '" + b.id() + "' cannot run here ("
              + b.unavailableReason().orElseThrow() + "); backend auto uses '" + chosen.id() + "'"));
      return chosen;
    }
    Backend b = find("backend", backends, id);
    b.unavailableReason().ifPresent(why -> {
      throw new PluginException("backend '" + id + "' cannot run here: " + why);
    });
    return b;
  }

  /**
   * @return the discretization with this id
   * @throws PluginException naming the module to add if there is none
   */
  public Discretization discretization(String id) {
    return find("discretization", discretizations, id);
  }

  /**
   * @return the solver with this id
   * @throws PluginException naming the module to add if there is none
   */
  public Solver solver(String id) {
    return find("solver", solvers, id);
  }

  /** @return one row per plugin: kind, id, version, module, location, status; the broken ones last */
  public List<PluginInfo> describe() {
    List<PluginInfo> out = new ArrayList<>();
    for (Backend b : backends()) {
      out.add(info("backend", b, b.unavailableReason().map(r -> "unavailable: " + r).orElse("available")));
    }
    discretizations.values().forEach(d -> out.add(info("discretization", d, "available")));
    solvers.values().forEach(s -> out.add(info("solver", s, "available")));
    models.values().forEach(m -> out.add(info("model", m, "available")));
    regularizers.values().forEach(r -> out.add(info("regularizer", r, "available")));
    out.addAll(broken);
    return out;
  }

  private String describeBackends() {
    return backends().stream()
        .map(b -> b.id() + b.unavailableReason().map(r -> " (" + r + ")").orElse(""))
        .collect(Collectors.joining(", "));
  }

  private static <T extends Plugin> Map<String, T> index(String kind, List<? extends Plugin> plugins, Class<T> type) {
    Map<String, T> out = new LinkedHashMap<>();
    for (Plugin p : plugins) {
      if (!type.isInstance(p)) {
        continue;
      }
      T previous = out.putIfAbsent(p.id(), type.cast(p));
      if (previous != null) {
        throw new PluginException("duplicate " + kind + " id '" + p.id() + "': provided by "
            + origin(previous) + " and by " + origin(p) + "; remove one of them from the module path");
      }
    }
    return out;
  }

  private <T extends Plugin> T find(String kind, Map<String, T> byId, String id) {
    T p = byId.get(id);
    if (p == null) {
      String skipped = broken.stream().filter(b -> b.kind().equals(kind) || b.kind().equals("plugin"))
          .map(b -> b.module() + " (" + b.status() + ")").collect(Collectors.joining("; "));
      throw new PluginException("no " + kind + " with id '" + id + "' (installed: "
          + (byId.isEmpty() ? "none" : String.join(", ", byId.keySet())) + (skipped.isEmpty() ? "" : "; skipped: " + skipped)
          + "); put the jar of the plugin that provides it into ./plugins/ (or --plugins DIR), or its module on the"
          + " module path");
    }
    return p;
  }

  static PluginInfo info(String kind, Plugin p, String status) {
    return new PluginInfo(kind, p.id(), p.version(), moduleName(p), location(p), p.description(), status);
  }

  static String moduleName(Plugin p) {
    Module m = p.getClass().getModule();
    return m.isNamed() ? m.getName() : "(class path)";
  }

  private static String origin(Plugin p) {
    return "module " + moduleName(p) + " (" + p.getClass().getName() + " from " + location(p) + ")";
  }

  static String location(Plugin p) {
    CodeSource cs = p.getClass().getProtectionDomain().getCodeSource();
    URL url = cs == null ? null : cs.getLocation();
    return url == null ? "unknown" : url.getPath();
  }
}
