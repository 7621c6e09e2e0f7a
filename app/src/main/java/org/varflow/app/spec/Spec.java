package org.varflow.app.spec;

import java.nio.file.Path;
import org.varflow.api.Options;

/**
 * A loaded specification: its tree (with {@code --set} overrides applied), where relative paths in it
 * are resolved from, and a name for the run directory.
 *
 * @param name the spec file's base name ({@code quickstart} for the bundled one)
 * @param baseDir directory that relative data and init paths are resolved against
 * @param root the whole tree; getters fill in defaults, so after a run it is the resolved spec
 */
public record Spec(String name, Path baseDir, Options root) {

  /** @return {@code path} resolved against {@link #baseDir()} unless absolute */
  public Path resolve(String path) {
    return baseDir.resolve(path).normalize();
  }
}
