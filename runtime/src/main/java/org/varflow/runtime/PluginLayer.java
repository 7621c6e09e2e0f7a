package org.varflow.runtime;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolutionException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.varflow.api.plugin.Plugin;
import org.varflow.api.plugin.PluginException;
import org.varflow.api.plugin.PluginInfo;
import org.varflow.api.plugin.PluginRegistry;

/**
 * Gives each plugin of a plugin directory a module layer of its own, resolved with service binding, as IDE plugin
 * systems do: a plugin is a jar directly in the directory, or a sub-folder holding the plugin's jar with the jars it
 * depends on. Two plugins may so bring different versions of one library. A plugin may also require the modules of
 * another plugin (a discretization the exported model type of a model plugin): its layer is then a child of that
 * plugin's layer, else of the boot layer. A plugin whose modules do not resolve, or that requires a plugin that is
 * broken or that requires it in turn, is reported and skipped; the others load.
 *
 * <p>When this runtime is itself on the class path (no module layer holds the api: a Spark executor, an application
 * server), each plugin gets a class loader of its own instead, over its jars, child of the runtime's loader or of the
 * loader of the one plugin whose modules it requires; its providers are those its module descriptor names (the
 * {@code provides} of a modular jar, the {@code META-INF/services} of a plain one), made as a module's would be
 * (a public static {@code provider()} method, else the public constructor without arguments).
 */
final class PluginLayer {
  private final ClassLoader loader = PluginLayer.class.getClassLoader();
  /** Whether plugins go into module layers (this runtime is a named module) or class loaders (it is not). */
  private final boolean modular = PluginLayer.class.getModule().isNamed();
  /** The loader of each plugin defined on the class path. */
  private final Map<Path, ClassLoader> loaders = new LinkedHashMap<>();
  /** The providers of the plugins on the class path. */
  private final List<Plugin> made = new ArrayList<>();
  /** The finder of each plugin's modules, in the order of the directory; it reads the plugin's jars once. */
  private final Map<Path, ModuleFinder> finders = new LinkedHashMap<>();
  /** The plugin that holds each module name. */
  private final Map<String, Path> owners = new HashMap<>();
  /** Whether each plugin looked at so far is defined (true) or broken (false). */
  private final Map<Path, Boolean> defined = new HashMap<>();
  /** The layer of each plugin defined in a module layer, in the order defined. */
  private final Map<Path, ModuleLayer> layers = new LinkedHashMap<>();
  private final List<PluginInfo> broken = new ArrayList<>();

  private PluginLayer(List<Path> plugins) {
    for (Path plugin : plugins) {
      ModuleFinder finder = ModuleFinder.of(plugin);
      finders.put(plugin, finder);
      try {
        finder.findAll().forEach(m -> owners.putIfAbsent(m.descriptor().name(), plugin));
      } catch (FindException e) {
        // reported when its layer is defined
      }
    }
  }

  /**
   * @param dir plugin directory; missing or empty means "built-in plugins only"
   * @return the registry of the built-in plugins and of each plugin layer
   * @throws PluginException if the directory cannot be listed, or two plugins of one kind share an id
   */
  static PluginRegistry registry(Path dir) {
    return registry(PluginLayer.class.getClassLoader(), plugins(dir));
  }

  /**
   * @param builtIns the loader of the built-in plugins (the boot layer and the class path), or one that sees none
   * @param plugins plugins as in a plugin directory: jars, or folders of jars
   * @return the registry of the built-in plugins and of each plugin's layer
   * @throws PluginException if two plugins of one kind share an id
   */
  static PluginRegistry registry(ClassLoader builtIns, List<Path> plugins) {
    PluginLayer graph = new PluginLayer(plugins);
    for (Path plugin : plugins) {
      graph.define(plugin, new LinkedHashSet<>());
    }
    return PluginRegistry.load(builtIns, List.copyOf(graph.layers.values()), graph.made, graph.broken);
  }

  /**
   * Defines the layer (or class loader) of {@code plugin} after those of the plugins whose modules it requires.
   *
   * @param path the plugins being defined, outermost first (to find a cycle)
   * @return whether it is defined; false when it is broken (then reported)
   */
  private boolean define(Path plugin, Set<Path> path) {
    if (defined.containsKey(plugin)) {
      return defined.get(plugin);
    }
    if (!path.add(plugin)) {
      return brokenBy(plugin, "its modules and those of " + path.stream().filter(p -> !p.equals(plugin))
          .map(p -> p.getFileName().toString()).collect(Collectors.joining(", ")) + " require each other");
    }
    ModuleFinder finder = finders.get(plugin);
    List<Path> required = new ArrayList<>();
    try {
      Set<ModuleReference> modules = finder.findAll();
      for (ModuleReference module : modules) {
        for (ModuleDescriptor.Requires requires : module.descriptor().requires()) {
          Path other = owners.get(requires.name());
          if (other == null || other.equals(plugin)) {
            continue;
          }
          if (!define(other, path)) {
            return brokenBy(plugin, "it requires module " + requires.name()
                + " of plugin " + other.getFileName() + ", which is broken");
          }
          if (!required.contains(other)) {
            required.add(other);
          }
        }
      }
      boolean ok = modular ? layer(plugin, finder, modules, required) : classLoader(plugin, modules, required);
      defined.putIfAbsent(plugin, ok);
      return defined.get(plugin);
    } catch (FindException | ResolutionException | LayerInstantiationException e) {
      return brokenBy(plugin, "its modules do not resolve: " + e.getMessage());
    } finally {
      path.remove(plugin);
    }
  }

  /** Defines the plugin's module layer, a child of the layers of the plugins it requires (else of the boot layer). */
  private boolean layer(Path plugin, ModuleFinder finder, Set<ModuleReference> modules, List<Path> required) {
    List<ModuleLayer> parents = required.isEmpty() ? List.of(ModuleLayer.boot())
        : required.stream().map(layers::get).toList();
    Configuration cf = Configuration.resolveAndBind(finder, parents.stream().map(ModuleLayer::configuration).toList(),
        ModuleFinder.of(), modules.stream().map(m -> m.descriptor().name()).toList());
    layers.put(plugin, ModuleLayer.defineModulesWithOneLoader(cf, parents, loader).layer());
    return true;
  }

  /**
   * Defines the plugin's class loader over its jars, a child of the loader of the plugin it requires (else of this
   * runtime's), and makes the providers its modules' descriptors name.
   */
  private boolean classLoader(Path plugin, Set<ModuleReference> modules, List<Path> required) {
    if (required.size() > 1) {
      return brokenBy(plugin, "on the class path a plugin may require the modules of one other plugin, and it requires"
          + " those of " + required.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(", ")));
    }
    List<URL> jars = new ArrayList<>();
    for (ModuleReference module : modules) {
      try {
        jars.add(module.location().orElseThrow().toURL());
      } catch (MalformedURLException e) {
        return brokenBy(plugin, "its jar " + module.location().orElseThrow() + " cannot be read: " + e.getMessage());
      }
    }
    ClassLoader classes = new URLClassLoader("plugin " + plugin.getFileName(), jars.toArray(URL[]::new),
        required.isEmpty() ? loader : loaders.get(required.get(0)));
    loaders.put(plugin, classes);
    for (ModuleReference module : modules) {
      for (ModuleDescriptor.Provides provides : module.descriptor().provides()) {
        for (String provider : provides.providers()) {
          make(plugin, module.descriptor().name(), provider, classes);
        }
      }
    }
    return true;
  }

  /** Makes one provider as {@link java.util.ServiceLoader} makes a module's: {@code provider()}, else {@code new}. */
  private void make(Path plugin, String module, String provider, ClassLoader classes) {
    try {
      Class<?> type = Class.forName(provider, false, classes);
      Object instance;
      try {
        instance = type.getMethod("provider").invoke(null);
      } catch (NoSuchMethodException e) {
        instance = type.getConstructor().newInstance();
      }
      if (instance instanceof Plugin p) {
        made.add(p);
      }
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      Throwable cause = e instanceof java.lang.reflect.InvocationTargetException t ? t.getCause() : e;
      broken.add(new PluginInfo("plugin", "?", "?", module, plugin.toString(), "", "broken: provider " + provider
          + " cannot be made: " + cause));
    }
  }

  /** Reports {@code plugin} as broken for {@code reason}, unless it is already; @return false */
  private boolean brokenBy(Path plugin, String reason) {
    if (!defined.containsKey(plugin)) {
      defined.put(plugin, false);
      broken.add(new PluginInfo("plugin", "?", "?", plugin.getFileName().toString(), plugin.toString(), "",
          "broken: " + reason));
    }
    return false;
  }

  /** @return the plugins in {@code dir}: each jar in it, and each sub-folder that holds jars, in name order */
  private static List<Path> plugins(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(p -> p.toString().endsWith(".jar") || Files.isDirectory(p) && hasJars(p)).sorted().toList();
    } catch (IOException e) {
      throw new PluginException("cannot list plugin directory " + dir + ": " + e.getMessage());
    }
  }

  private static boolean hasJars(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(p -> p.toString().endsWith(".jar"));
    } catch (IOException e) {
      throw new PluginException("cannot list plugin directory " + dir + ": " + e.getMessage());
    }
  }
}
