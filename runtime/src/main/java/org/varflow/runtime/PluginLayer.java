package org.varflow.runtime;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolutionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.varflow.api.plugin.PluginException;
import org.varflow.api.plugin.PluginInfo;
import org.varflow.api.plugin.PluginRegistry;

/**
 * Gives each plugin of a plugin directory a module layer of its own, a child of the boot layer resolved with
 * service binding, as IDE plugin systems do: a plugin is a jar directly in the directory, or a sub-folder
 * holding the plugin's jar with the jars it depends on. Two plugins may so bring different versions of one
 * library. A plugin whose modules do not resolve is reported and skipped; the others load.
 */
final class PluginLayer {
  private PluginLayer() {}

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
    ClassLoader loader = PluginLayer.class.getClassLoader();
    List<ModuleLayer> layers = new ArrayList<>();
    List<PluginInfo> broken = new ArrayList<>();
    ModuleLayer boot = ModuleLayer.boot();
    for (Path plugin : plugins) {
      try {
        ModuleFinder finder = ModuleFinder.of(plugin);
        List<String> roots = finder.findAll().stream().map(ModuleReference::descriptor).map(d -> d.name()).toList();
        Configuration cf = boot.configuration().resolveAndBind(finder, ModuleFinder.of(), roots);
        layers.add(boot.defineModulesWithOneLoader(cf, loader));
      } catch (FindException | ResolutionException | LayerInstantiationException e) {
        broken.add(new PluginInfo("plugin", "?", "?", plugin.getFileName().toString(), plugin.toString(), "",
            "broken: its modules do not resolve: " + e.getMessage()));
      }
    }
    return PluginRegistry.load(builtIns, layers, broken);
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
