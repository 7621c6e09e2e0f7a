package org.varflow.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.runtime.run.RunPlan;
import org.varflow.runtime.spec.SpecSchema;

/**
 * varflow as a library: the installed plugins, and runs prepared from specs. The command line is a thin
 * layer over this class.
 *
 * <p>Threads: a {@code Varflow} and its plugins may serve runs on several threads at once ({@link Spec} is immutable,
 * {@link #prepare} completes a copy); a {@link Run} belongs to the thread that uses it. A plugin is therefore shared by
 * all runs and keeps a run's state only in what it makes for that run (its flow, the solver's state, tensors).
 *
 * <pre>{@code
 * Varflow varflow = Varflow.load(Path.of("plugins"));
 * Spec spec = Spec.load(Path.of("examples/random-features.yaml")).with("discretization.width", 500);
 * try (Run run = varflow.prepare(spec)) {
 *   RunResult result = run.execute(Path.of("runs/rf-500"), RunListener.NONE);
 *   System.out.println(result.last().get("test_risk") + " " + result.parameters().get("a").length);
 * }
 * }</pre>
 */
public final class Varflow {
  private final PluginRegistry registry;

  private Varflow(PluginRegistry registry) {
    this.registry = registry;
  }

  /**
   * @param pluginDirectory jars (or folders of jars) to load as plugins, each in a module layer of its own;
   *     ignored when it does not exist
   * @return varflow with the plugins on the module path (or class path) and those in the directory
   * @throws org.varflow.api.plugin.PluginException if two plugins of one kind share an id
   */
  public static Varflow load(Path pluginDirectory) {
    return new Varflow(PluginLayer.registry(pluginDirectory));
  }

  /**
   * @param jar one plugin jar
   * @return the plugins of that jar alone, loaded as a plugin directory loads a jar (in a module layer of its own over
   *     the modules of this process, against which it resolves), without the built-in ones: to check a jar's plugins
   *     ({@code varflow kit}), also those whose ids a built-in plugin has
   * @throws org.varflow.api.plugin.PluginException if two of its plugins of one kind share an id
   */
  public static PluginRegistry pluginsOf(Path jar) {
    return PluginLayer.registry(ClassLoader.getPlatformClassLoader(), List.of(jar)); // the platform loader sees none
  }

  /** @return varflow with exactly these plugins (tests, embedding) */
  public static Varflow of(PluginRegistry registry) {
    return new Varflow(registry);
  }

  /** @return the installed plugins */
  public PluginRegistry registry() {
    return registry;
  }

  /**
   * Checks and completes the spec (every key against its declaration), loads the data, builds the problem,
   * discretizes it and chooses the solver.
   *
   * @return the prepared run; close it to release its tensors
   * @throws org.varflow.api.SpecException naming the key, file or line that is wrong, or a plugin's refusal
   * @throws org.varflow.api.plugin.PluginException when a named plugin is missing or cannot run here
   */
  public Run prepare(Spec spec) {
    long t0 = System.nanoTime();
    return new Run(RunPlan.prepare(spec, registry), registry, t0);
  }

  /** @return the JSON Schema (draft-07) of a spec for the installed plugins, as nested maps and lists */
  public Map<String, Object> schema() {
    return SpecSchema.jsonSchema(registry, Spec.DEFAULT_MODEL, Spec.DEFAULT_SOLVER);
  }
}
