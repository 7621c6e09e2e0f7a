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
  /** The plugins of each kind by id, the kinds in the order of {@link Discovery#KINDS}. */
  private final Map<Discovery.Kind, Map<String, Plugin>> plugins = new LinkedHashMap<>();
  private final List<PluginInfo> broken;

  private PluginRegistry(List<? extends Plugin> all, List<PluginInfo> broken) {
    this.broken = List.copyOf(broken);
    for (Discovery.Kind kind : Discovery.KINDS) {
      Map<String, Plugin> byId = new LinkedHashMap<>();
      for (Plugin p : all) {
        Plugin previous = kind.type().isInstance(p) ? byId.putIfAbsent(p.id(), p) : null;
        if (previous != null) {
          throw new PluginException("duplicate " + kind.name() + " id '" + p.id() + "': provided by "
              + origin(previous) + " and by " + origin(p) + "; remove one of them from the module path");
        }
      }
      plugins.put(kind, byId);
    }
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
    return load(loader, layers, List.of(), brokenLayers);
  }

  /**
   * As {@link #load(ClassLoader, List, List)}, with plugins besides that the caller made itself: those of plugin
   * jars loaded on the class path, each in a class loader of its own, whose providers the jar's module descriptor
   * names (a class-path service loader would read only {@code META-INF/services}). They are checked as found ones
   * are: a plugin whose very id fails is listed as broken.
   *
   * @param made providers of any kinds, made from plugin jars on the class path
   * @return the registry
   * @throws PluginException if two providers of one kind share an id
   */
  public static PluginRegistry load(ClassLoader loader, List<ModuleLayer> layers, List<? extends Plugin> made,
      List<PluginInfo> brokenLayers) {
    List<Plugin> all = new ArrayList<>();
    List<PluginInfo> broken = new ArrayList<>(brokenLayers);
    for (Discovery.Kind kind : Discovery.KINDS) {
      Discovery.discover(kind, ServiceLoader.load(kind.type(), loader), p -> true, all, broken);
      Discovery.discover(kind, made, kind.type()::isInstance, all, broken);
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

  /**
   * @param type a plugin SPI: {@link Backend}, {@link Discretization}, {@link Solver}, {@link ModelKind} or
   *     {@link RegularizerKind}
   * @return its plugins in the order they were found (backends highest priority first)
   */
  public <T extends Plugin> List<T> all(Class<T> type) {
    List<T> out = plugins.get(kind(type)).values().stream().map(type::cast).collect(Collectors.toList());
    if (type == Backend.class) {
      out.sort(Comparator.comparingInt(p -> -((Backend) p).priority()));
    }
    return List.copyOf(out);
  }

  /**
   * @param type a plugin SPI, as for {@link #all}
   * @param id the plugin's id
   * @return the plugin of that SPI with that id
   * @throws PluginException listing the installed ones, and those skipped, if there is none
   */
  public <T extends Plugin> T get(Class<T> type, String id) {
    Discovery.Kind kind = kind(type);
    Map<String, Plugin> byId = plugins.get(kind);
    Plugin p = byId.get(id);
    if (p == null) {
      String skipped = broken.stream().filter(b -> b.kind().equals(kind.name()) || b.kind().equals("plugin"))
          .map(b -> b.module() + " (" + b.status() + ")").collect(Collectors.joining("; "));
      throw new PluginException("no " + kind.name() + " with id '" + id + "' (installed: "
          + (byId.isEmpty() ? "none" : String.join(", ", byId.keySet())) + (skipped.isEmpty() ? "" : "; skipped: " + skipped)
          + "); put the jar of the plugin that provides it into ./plugins/ (or --plugins DIR), or its module on the"
          + " module path");
    }
    return type.cast(p);
  }

  private static Discovery.Kind kind(Class<?> type) {
    return Discovery.KINDS.stream().filter(k -> k.type() == type).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(type.getName() + " is not a plugin SPI"));
  }

  /** @return all backends, highest priority first */
  public List<Backend> backends() {
    return all(Backend.class);
  }

  /** @return all discretizations */
  public List<Discretization> discretizations() {
    return all(Discretization.class);
  }

  /** @return all solvers */
  public List<Solver> solvers() {
    return all(Solver.class);
  }

  /**
   * @return every plugin by kind ({@code backend}, {@code discretization}, {@code solver}, {@code model},
   *     {@code regularizer}), in the order {@link #describe()} lists them
   */
  public Map<String, List<? extends Plugin>> byKind() {
    Map<String, List<? extends Plugin>> out = new LinkedHashMap<>();
    Discovery.KINDS.forEach(kind -> out.put(kind.name(), all(kind.type())));
    return out;
  }

  /** @return all model kinds */
  public List<ModelKind> models() {
    return all(ModelKind.class);
  }

  /** @return all regularizer kinds */
  public List<RegularizerKind> regularizers() {
    return all(RegularizerKind.class);
  }

  /**
   * @return the model kind with this id ({@code model.kind})
   * @throws PluginException listing the installed ones if there is none
   */
  public ModelKind model(String id) {
    return get(ModelKind.class, id);
  }

  /**
   * @return the regularizer kind with this id ({@code regularizers[i].kind})
   * @throws PluginException listing the installed ones if there is none
   */
  public RegularizerKind regularizer(String id) {
    return get(RegularizerKind.class, id);
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
    Backend b = get(Backend.class, id);
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
    return get(Discretization.class, id);
  }

  /**
   * @return the solver with this id
   * @throws PluginException naming the module to add if there is none
   */
  public Solver solver(String id) {
    return get(Solver.class, id);
  }

  /** @return one row per plugin: kind, id, version, module, location, status; the broken ones last */
  public List<PluginInfo> describe() {
    List<PluginInfo> out = new ArrayList<>();
    byKind().forEach((kind, all) -> all.forEach(p -> out.add(info(kind, p, p instanceof Backend b
        ? b.unavailableReason().map(r -> "unavailable: " + r).orElse("available") : "available"))));
    out.addAll(broken);
    return out;
  }

  private String describeBackends() {
    return backends().stream()
        .map(b -> b.id() + b.unavailableReason().map(r -> " (" + r + ")").orElse(""))
        .collect(Collectors.joining(", "));
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
