package org.varflow.runtime;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolutionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
 */
final class PluginLayer {
  private final ClassLoader loader = PluginLayer.class.getClassLoader();
  /** The finder of each plugin's modules, in the order of the directory; it reads the plugin's jars once. */
  private final Map<Path, ModuleFinder> finders = new LinkedHashMap<>();
  /** The plugin that holds each module name. */
  private final Map<String, Path> owners = new HashMap<>();
  /** The layer of each plugin defined so far; null for one that is broken. */
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
    return PluginRegistry.load(builtIns, graph.layers.values().stream().filter(Objects::nonNull).toList(), graph.broken);
  }

  /**
   * Defines the layer of {@code plugin} after those of the plugins whose modules it requires.
   *
   * @param path the plugins whose layers are being defined, outermost first (to find a cycle)
   * @return its layer, or null when it is broken (then reported)
   */
  private ModuleLayer define(Path plugin, Set<Path> path) {
    if (layers.containsKey(plugin)) {
      return layers.get(plugin);
    }
    if (!path.add(plugin)) {
      return brokenBy(plugin, "its modules and those of " + path.stream().filter(p -> !p.equals(plugin))
          .map(p -> p.getFileName().toString()).collect(Collectors.joining(", ")) + " require each other");
    }
    ModuleFinder finder = finders.get(plugin);
    List<ModuleLayer> parents = new ArrayList<>();
    try {
      Set<ModuleReference> modules = finder.findAll();
      for (ModuleReference module : modules) {
        for (ModuleDescriptor.Requires requires : module.descriptor().requires()) {
          Path other = owners.get(requires.name());
          if (other == null || other.equals(plugin)) {
            continue;
          }
          ModuleLayer parent = define(other, path);
          if (parent == null) {
            return layers.containsKey(plugin) ? layers.get(plugin) : brokenBy(plugin, "it requires module "
                + requires.name() + " of plugin " + other.getFileName() + ", which is broken");
          }
          if (!parents.contains(parent)) {
            parents.add(parent);
          }
        }
      }
      if (parents.isEmpty()) {
        parents.add(ModuleLayer.boot());
      }
      Configuration cf = Configuration.resolveAndBind(finder, parents.stream().map(ModuleLayer::configuration).toList(),
          ModuleFinder.of(), modules.stream().map(m -> m.descriptor().name()).toList());
      ModuleLayer layer = ModuleLayer.defineModulesWithOneLoader(cf, parents, loader).layer();
      layers.put(plugin, layer);
      return layer;
    } catch (FindException | ResolutionException | LayerInstantiationException e) {
      return brokenBy(plugin, "its modules do not resolve: " + e.getMessage());
    } finally {
      path.remove(plugin);
    }
  }

  /** Reports {@code plugin} as broken for {@code reason}; @return null */
  private ModuleLayer brokenBy(Path plugin, String reason) {
    if (!layers.containsKey(plugin)) {
      layers.put(plugin, null);
      broken.add(new PluginInfo("plugin", "?", "?", plugin.getFileName().toString(), plugin.toString(), "",
          "broken: " + reason));
    }
    return null;
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
