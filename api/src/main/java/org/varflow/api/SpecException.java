package org.varflow.api;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A specification, option or input file is invalid. The message names the offending key (dotted path
 * such as {@code solver.step}) or file, so that a launcher can report it verbatim and exit with code 2.
 */
public class SpecException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String key;

  /**
   * @param key dotted key path or file name that is wrong
   * @param message what is wrong with it and, where possible, what is allowed
   */
  public SpecException(String key, String message) {
    super(key + ": " + message);
    this.key = key;
  }

  /**
   * @param file an input file that could not be read
   * @param cause why
   * @return the error naming the file: not found, permission denied, or the I/O error's own words
   */
  public static SpecException unreadable(Path file, IOException cause) {
    String why = cause instanceof NoSuchFileException ? "file not found"
        : cause instanceof AccessDeniedException ? "permission denied"
        : "cannot read: " + cause.getMessage();
    SpecException e = new SpecException(file.toString(), why);
    e.initCause(cause);
    return e;
  }

  /** @return the dotted key path or file that the message is about */
  public String key() {
    return key;
  }
}
