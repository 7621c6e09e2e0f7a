package org.varflow.app.plugins;

import jakarta.inject.Singleton;
import java.nio.file.Path;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.runtime.Varflow;

/**
 * varflow with the plugins of this process, made once on first use from the boot layer plus the jars in the
 * plugin directory ({@code ./plugins} unless {@code --plugins DIR} is given).
 */
@Singleton
public final class Plugins {
  private Path directory = Path.of("plugins");
  private Varflow varflow;

  /**
   * @param registry the plugins to use instead of those found on the module path and in a plugin directory
   *     (tests)
   * @return plugins that always answer {@code registry}
   */
  public static Plugins of(PluginRegistry registry) {
    Plugins plugins = new Plugins();
    plugins.varflow = Varflow.of(registry);
    return plugins;
  }

  /** Sets the plugin directory; must be called before the first {@link #varflow()}. */
  public synchronized void directory(Path dir) {
    if (varflow != null) {
      throw new IllegalStateException("plugin registry already built");
    }
    this.directory = dir;
  }

  /** @return the plugin directory the plugins are loaded from (it need not exist) */
  public synchronized Path directory() {
    return directory;
  }

  /** @return varflow with the plugins, loaded on first call */
  public synchronized Varflow varflow() {
    if (varflow == null) {
      varflow = Varflow.load(directory);
    }
    return varflow;
  }

  /** @return the plugins */
  public PluginRegistry registry() {
    return varflow().registry();
  }
}
