package org.varflow.api;

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

  /** @return the dotted key path or file that the message is about */
  public String key() {
    return key;
  }
}
