package org.varflow.runtime;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolutionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.varflow.api.plugin.PluginException;
import org.varflow.api.plugin.PluginRegistry;

/**
 * Puts the plugin jars of a directory on a module path of their own: a child {@link ModuleLayer} of the
 * boot layer, resolved with service binding. Their services then show up next to the built-in ones.
 */
final class PluginLayer {
  private PluginLayer() {}

  /**
   * @param dir plugin directory; missing or without jars means "built-in plugins only"
   * @return the registry of the boot layer plus the plugin layer
   * @throws PluginException when the jars do not form a consistent module set
   */
  static PluginRegistry registry(Path dir) {
    ClassLoader loader = PluginLayer.class.getClassLoader();
    if (dir != null && Files.isDirectory(dir) && hasJars(dir)) {
      try {
        ModuleFinder finder = ModuleFinder.of(dir);
        List<String> roots = finder.findAll().stream()
            .map(ModuleReference::descriptor)
            .map(java.lang.module.ModuleDescriptor::name)
            .collect(Collectors.toList());
        ModuleLayer boot = ModuleLayer.boot();
        Configuration cf = boot.configuration().resolveAndBind(finder, ModuleFinder.of(), roots);
        ModuleLayer layer = boot.defineModulesWithOneLoader(cf, loader);
        loader = layer.findLoader(roots.get(0));
      } catch (FindException | ResolutionException | java.lang.LayerInstantiationException e) {
        throw new PluginException("cannot load plugins from " + dir + ": " + e.getMessage());
      }
    }
    return PluginRegistry.load(loader);
  }

  private static boolean hasJars(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(p -> p.toString().endsWith(".jar"));
    } catch (IOException e) {
      throw new PluginException("cannot list plugin directory " + dir + ": " + e.getMessage());
    }
  }
}
