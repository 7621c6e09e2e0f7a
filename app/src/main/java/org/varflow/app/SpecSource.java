package org.varflow.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.varflow.api.SpecException;
import org.varflow.runtime.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The spec a command reads, as a picocli mixin: an optional SPEC file or {@code --example NAME} (a bundled example;
 * neither: the bundled quickstart) and --set keys.
 */
public final class SpecSource {
  @Parameters(arity = "0..1", paramLabel = "SPEC", description = "YAML spec file (default: the bundled quickstart).")
  Path file;

  @Option(names = "--example", paramLabel = "NAME", description = "A bundled example instead of SPEC (varflow"
      + " examples lists them).")
  String example;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a spec key, e.g. solver.step=0.1.")
  List<String> overrides = new ArrayList<>();

  /** @return whether a SPEC, an --example or a --set was given */
  public boolean given() {
    return file != null || example != null || !overrides.isEmpty();
  }

  /** Adds one more {@code key=value} override, as a command's own option (e.g. --backend) gives it. */
  public void set(String override) {
    overrides.add(override);
  }

  /**
   * @return the spec file or the example, with the overrides
   * @throws SpecException when both a SPEC and an --example are given, or there is no example of that name
   */
  public Spec load() {
    if (example == null) {
      return Spec.load(file, overrides);
    }
    if (file != null) {
      throw new SpecException("--example", "give a SPEC file or --example NAME, not both (got " + file + " and "
          + example + ")");
    }
    return Spec.example(example, overrides);
  }
}
