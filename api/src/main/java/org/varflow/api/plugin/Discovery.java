package org.varflow.api.plugin;

import java.lang.module.ModuleDescriptor;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Predicate;
import org.varflow.api.flow.Discretization;
import org.varflow.api.problem.ModelKind;
import org.varflow.api.problem.RegularizerKind;
import org.varflow.api.solve.Solver;
import org.varflow.api.tensor.Backend;

/**
 * Finds the providers of every plugin kind with {@link ServiceLoader}, one at a time, so that a provider
 * that cannot be loaded (a missing class, a constructor that throws, a linkage error) or that was built
 * against an incompatible version of this api is reported and skipped while the others load.
 */
final class Discovery {
  /** The plugin kinds by spec name, in the order the registry lists them. */
  static final List<Kind> KINDS = List.of(new Kind("backend", Backend.class), new Kind("discretization", Discretization.class),
      new Kind("solver", Solver.class), new Kind("model", ModelKind.class), new Kind("regularizer", RegularizerKind.class));

  /** A plugin kind: its name and its service type. */
  record Kind(String name, Class<? extends Plugin> type) {}

  private Discovery() {}

  /**
   * Adds the providers of {@code kind} that {@code loader} finds (a {@link ServiceLoader}, or providers made by the
   * caller) and {@code accept} keeps to {@code plugins}, and one entry per provider that could not be used to
   * {@code broken}.
   */
  static void discover(Kind kind, Iterable<? extends Plugin> loader, Predicate<Plugin> accept, List<Plugin> plugins,
      List<PluginInfo> broken) {
    Iterator<? extends Plugin> it = loader.iterator();
    while (true) {
      Plugin p;
      try {
        if (!it.hasNext()) {
          return;
        }
        p = it.next();
      } catch (ServiceConfigurationError | LinkageError e) {
        broken.add(new PluginInfo(kind.name(), "?", "?", "?", "?", "", "broken: " + rootCause(e)));
        continue;
      }
      if (!accept.test(p)) {
        continue;
      }
      Optional<String> incompatible = incompatibility(p.getClass().getModule());
      try {
        if (incompatible.isPresent()) {
          broken.add(PluginRegistry.info(kind.name(), p, "broken: " + incompatible.get()));
        } else {
          p.id(); // a plugin whose very id fails is broken too
          plugins.add(p);
        }
      } catch (RuntimeException | LinkageError e) {
        broken.add(new PluginInfo(kind.name(), "?", "?", PluginRegistry.moduleName(p), PluginRegistry.location(p), "",
            "broken: " + rootCause(e)));
      }
    }
  }

  /**
   * @return why a plugin module built against another version of this api cannot be used: the major and
   *     minor versions must match (with major 0, every minor version is a new api); empty when they match or
   *     either version is unknown
   */
  static Optional<String> incompatibility(Module plugin) {
    Module api = Discovery.class.getModule();
    if (!plugin.isNamed() || !api.isNamed() || plugin.getDescriptor() == null) {
      return Optional.empty();
    }
    Optional<String> running = api.getDescriptor().rawVersion();
    Optional<String> compiled = plugin.getDescriptor().requires().stream()
        .filter(r -> r.name().equals(api.getName())).findFirst().flatMap(ModuleDescriptor.Requires::rawCompiledVersion);
    if (running.isEmpty() || compiled.isEmpty() || majorMinor(running.get()).equals(majorMinor(compiled.get()))) {
      return Optional.empty();
    }
    return Optional.of("module " + plugin.getName() + " was built against varflow api " + compiled.get() + ", but this is "
        + running.get() + " (a plugin needs the same major and minor version); rebuild it against this version");
  }

  /** @return e.g. {@code 0.1} for {@code 0.1.0-SNAPSHOT} */
  private static String majorMinor(String version) {
    String[] parts = version.split("[.-]", 3);
    return parts.length < 2 ? parts[0] : parts[0] + "." + parts[1];
  }

  private static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
  }
}
