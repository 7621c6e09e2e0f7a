package org.varflow.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.varflow.runtime.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The spec a command reads, as a picocli mixin: an optional SPEC file (else the bundled quickstart) and --set keys. */
public final class SpecSource {
  @Parameters(arity = "0..1", paramLabel = "SPEC", description = "YAML spec file (default: the bundled quickstart).")
  Path file;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a spec key, e.g. solver.step=0.1.")
  List<String> overrides = new ArrayList<>();

  /** @return whether a SPEC or a --set was given */
  public boolean given() {
    return file != null || !overrides.isEmpty();
  }

  /** Adds one more {@code key=value} override, as a command's own option (e.g. --backend) gives it. */
  public void set(String override) {
    overrides.add(override);
  }

  /** @return the spec file with the overrides */
  public Spec load() {
    return Spec.load(file, overrides);
  }
}
