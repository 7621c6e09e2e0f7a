package org.varflow.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.varflow.api.Options;
import org.varflow.runtime.spec.Examples;
import org.varflow.runtime.spec.SpecLoader;

/**
 * A specification of a run: its tree (a YAML mapping), a name for the run directory, and the directory its
 * relative file paths resolve against. Load one from a file ({@link #load}), take the bundled quickstart,
 * or build one in code ({@link #of}); {@link #with} sets a key as {@code --set} does.
 *
 * <p>A spec is immutable: its tree is a deep copy that cannot be changed, so one spec may be prepared by several
 * threads at once. Preparing a run completes a copy ({@link Run#spec()} is the completed one); {@link #with} makes a
 * new spec.
 *
 * @param name the spec file's base name ({@code quickstart} for the bundled one)
 * @param root the whole tree, an unchangeable deep copy of the one given
 * @param baseDir the directory relative file paths in the spec are resolved against: the spec file's (the
 *     working directory for the bundled quickstart)
 */
public record Spec(String name, Options root, Path baseDir) {
  /** Keeps an unchangeable deep copy of the tree. */
  public Spec {
    root = Options.of(root.path(), Options.immutableCopy(root.asMap()));
  }

  /** {@code model.kind} when a spec gives none. */
  public static final String DEFAULT_MODEL = "two-layer";
  /** {@code solver.kind} when a spec gives none. */
  public static final String DEFAULT_SOLVER = "explicit-euler";

  /**
   * @return the spec in a YAML file
   * @throws org.varflow.api.SpecException naming the file and line of a YAML error
   */
  public static Spec load(Path file) {
    return SpecLoader.load(file, List.of());
  }

  /**
   * @param file a YAML spec, or null for the bundled quickstart
   * @param overrides {@code key=value} pairs as {@code --set} takes them (values are YAML)
   * @return the spec with the overrides applied
   */
  public static Spec load(Path file, List<String> overrides) {
    return SpecLoader.load(file, overrides);
  }

  /** @return the bundled quickstart: the mean-field two-layer network, 256 particles, explicit Euler */
  public static Spec quickstart() {
    return SpecLoader.load(null, List.of());
  }

  /**
   * A bundled example spec of the gallery.
   *
   * @param name its name, as {@code varflow run --example NAME} takes it
   * @param description one line: what it shows
   * @param study whether it is a study (it has a {@code study} block: {@code varflow study --example NAME}) rather than
   *     a single run
   */
  public record Example(String name, String description, boolean study) {}

  /** @return the bundled examples (the gallery), by name */
  public static List<Example> examples() {
    return Examples.list();
  }

  /**
   * @param name a bundled example's name
   * @return the example; relative paths resolve against the working directory
   * @throws org.varflow.api.SpecException naming {@code --example} and listing the names when there is none of that name
   */
  public static Spec example(String name) {
    return Examples.load(name, List.of());
  }

  /**
   * @param name a bundled example's name
   * @param overrides {@code key=value} pairs as {@code --set} takes them (values are YAML)
   * @return the example with the overrides applied
   * @throws org.varflow.api.SpecException naming {@code --example} and listing the names when there is none of that name
   */
  public static Spec example(String name, List<String> overrides) {
    return Examples.load(name, overrides);
  }

  /**
   * @param tree the spec's keys and values (copied)
   * @param baseDir the directory relative file paths resolve against
   * @return a spec built in code
   */
  public static Spec of(String name, Map<String, ?> tree, Path baseDir) {
    return new Spec(name, Options.of("", Options.mutableCopy(tree)), baseDir.toAbsolutePath());
  }

  /**
   * @param key a dotted key with list indices, e.g. {@code discretization.width} or {@code regularizers[0].strength}
   * @param value a number, text, boolean, list or mapping
   * @return a copy of this spec with {@code key} set to {@code value}
   */
  public Spec with(String key, Object value) {
    Map<String, Object> tree = Options.mutableCopy(root.asMap());
    SpecLoader.set(tree, key, value);
    return new Spec(name, Options.of("", tree), baseDir);
  }

  /**
   * @param name the spec's name (of its run directories)
   * @param yaml the spec as YAML text, as {@link #toYaml} writes it: a spec that travels as text (to another thread,
   *     process or machine) comes back as the same spec
   * @param baseDir the directory its relative file paths resolve against
   * @return the spec
   * @throws org.varflow.api.SpecException naming {@code name} and the line of a YAML error
   */
  public static Spec parse(String name, String yaml, Path baseDir) {
    return SpecLoader.parse(name, yaml, baseDir);
  }

  /**
   * @param key the key the value is for (for messages)
   * @param text a value as written on the command line
   * @return the value {@code --set key=text} sets: the text read as YAML (a number, list, mapping, …), or the text
   */
  public static Object value(String key, String text) {
    return SpecLoader.parseValue(key, text);
  }

  /** @return the tree as YAML text */
  public String toYaml() {
    return SpecLoader.toYaml(root.asMap());
  }
}
