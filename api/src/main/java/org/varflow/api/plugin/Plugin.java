package org.varflow.api.plugin;

import java.lang.module.ModuleDescriptor;
import org.varflow.api.OptionSchema;

/**
 * What every varflow service provider has: an id unique within its kind, a description, and a version.
 * Backends, discretizations and solvers extend this.
 */
public interface Plugin {

  /** @return the id used in spec files and on the command line, e.g. {@code particles} */
  String id();

  /** @return one line saying what the plugin computes */
  String description();

  /**
   * @return the options of the plugin's spec node (e.g. {@code discretization}, without {@code kind}); the
   *     caller checks and completes the node with them ({@link OptionSchema#apply}) before handing it over,
   *     so the plugin reads static defaults without repeating them. None by default.
   */
  default OptionSchema options() {
    return OptionSchema.EMPTY;
  }

  /** @return the version of the module (or jar) that provides this plugin, or {@code unknown} */
  default String version() {
    Module module = getClass().getModule();
    if (module.isNamed()) {
      ModuleDescriptor d = module.getDescriptor();
      if (d != null && d.rawVersion().isPresent()) {
        return d.rawVersion().get();
      }
    }
    String v = getClass().getPackage().getImplementationVersion();
    return v == null ? "unknown" : v;
  }
}
