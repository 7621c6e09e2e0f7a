package org.varflow.app;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The root of the checkout (the directory holding {@code mvnw} and {@code examples/}), found upward from the working
 * directory, else from where the test classes lie: tests read {@code examples/} and {@code README.md} through it, so
 * that they pass from the module's directory (Maven), the root (an IDE) or anywhere else.
 */
public final class ProjectRoot {
  /** The root, absolute. */
  public static final Path DIR = find();

  private ProjectRoot() {}

  /** @return {@code relative} (e.g. {@code examples/density.yaml}) resolved against the root */
  public static Path resolve(String relative) {
    return DIR.resolve(relative);
  }

  /** @return the path of {@code examples/<name>}, as a command-line argument */
  public static String example(String name) {
    return DIR.resolve("examples").resolve(name).toString();
  }

  private static Path find() {
    Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    Path found = above(start);
    if (found == null) {
      try {
        found = above(Path.of(ProjectRoot.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
      } catch (URISyntaxException | RuntimeException e) {
        found = null;
      }
    }
    if (found == null) {
      throw new IllegalStateException("no directory holding mvnw and examples/ above " + start
          + " or the test classes");
    }
    return found;
  }

  private static Path above(Path start) {
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("examples"))) {
        return dir;
      }
    }
    return null;
  }
}
