package org.varflow.runtime;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.stream.Stream;
import org.varflow.api.SpecException;
import org.varflow.api.io.AtomicFiles;

/**
 * Where a run writes: a new directory {@code runs/<time>-<spec name>} that no concurrent run shares, or a directory
 * the user names, which is checked before any work is done and never silently mixed with an older run's files.
 */
public final class RunDirectory {
  /** The file by which a directory is recognised as a run directory (and may be replaced with {@code force}). */
  static final String MARKER = "spec.yaml";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private RunDirectory() {}

  /**
   * Creates {@code parent/<yyyyMMdd-HHmmss>-<name>}, or with a suffix {@code -2}, {@code -3}, … the first such name
   * not taken: each directory is created atomically, so runs started in the same second get different ones.
   *
   * @return the new, empty directory
   * @throws IOException if {@code parent} cannot be created or written
   */
  public static Path createUnique(Path parent, String name) throws IOException {
    Files.createDirectories(parent);
    String base = LocalDateTime.now().format(STAMP) + "-" + name;
    for (int k = 1; ; k++) {
      Path dir = parent.resolve(k == 1 ? base : base + "-" + k);
      try {
        return Files.createDirectory(dir);
      } catch (FileAlreadyExistsException taken) {
        // another run took this name: try the next suffix
      }
    }
  }

  /**
   * Checks that {@code dir} can be a new run's directory, before the run is prepared: it is not a file, it is empty
   * or absent (or, with {@code replace}, an earlier run directory, i.e. it holds {@value #MARKER}), and the nearest
   * existing directory on its path is writable.
   *
   * @param option the option that named the directory, for the message (e.g. {@code --out})
   * @throws SpecException naming the option and the directory
   */
  public static void check(Path dir, boolean replace, String option) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new SpecException(option, dir + " is a file, not a directory");
    }
    if (Files.isDirectory(dir) && !isEmpty(dir, option)) {
      if (!replace) {
        throw new SpecException(option, dir + " is not empty; choose a new directory, or add --force to replace the"
            + " run in it");
      }
      if (!Files.exists(dir.resolve(MARKER))) {
        throw new SpecException(option, dir + " holds files but no " + MARKER + ", so it is not a run directory;"
            + " --force replaces run directories only");
      }
    }
    Path existing = dir.toAbsolutePath();
    while (!Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (!Files.isDirectory(existing) || !Files.isWritable(existing)) {
      throw new SpecException(option, dir + " cannot be created: " + existing
          + (Files.isDirectory(existing) ? " is not writable" : " is not a directory"));
    }
  }

  /**
   * Makes {@code dir}, checked by {@link #check}, ready for a new run: created, and emptied when it held an earlier
   * run (with {@code replace}).
   *
   * @return {@code dir}
   * @throws IOException if it cannot be created or emptied
   */
  public static Path prepare(Path dir, boolean replace, String option) throws IOException {
    check(dir, replace, option);
    AtomicFiles.deleteTree(dir); // empty, or an earlier run with replace
    return Files.createDirectories(dir);
  }

  private static boolean isEmpty(Path dir, String option) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      throw new SpecException(option, dir + " cannot be read: " + e.getMessage());
    }
  }
}
