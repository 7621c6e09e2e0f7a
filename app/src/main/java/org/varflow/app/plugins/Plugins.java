package org.varflow.app.plugins;

import jakarta.inject.Singleton;
import java.nio.file.Path;
import org.varflow.api.plugin.PluginRegistry;

/**
 * The plugin registry of this process, built once on first use from the boot layer plus the jars in the
 * plugin directory ({@code ./plugins} unless {@code --plugins DIR} is given).
 */
@Singleton
public final class Plugins {
  private Path directory = Path.of("plugins");
  private PluginRegistry registry;

  /**
   * @param registry the plugins to use instead of those found on the module path and in a plugin directory
   *     (embedding, tests)
   * @return plugins that always answer {@code registry}
   */
  public static Plugins of(PluginRegistry registry) {
    Plugins plugins = new Plugins();
    plugins.registry = registry;
    return plugins;
  }

  /** Sets the plugin directory; must be called before the first {@link #registry()}. */
  public synchronized void directory(Path dir) {
    if (registry != null) {
      throw new IllegalStateException("plugin registry already built");
    }
    this.directory = dir;
  }

  /** @return the registry, built on first call */
  public synchronized PluginRegistry registry() {
    if (registry == null) {
      registry = PluginLayer.registry(directory);
    }
    return registry;
  }
}
