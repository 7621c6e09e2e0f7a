package org.varflow.kit;

/**
 * One check of a {@link Kit}.
 *
 * @param name what it checks and where, e.g. {@code resumesBitForBit on jvm}
 * @param body runs the check, throwing {@link AssertionError} when the plugin fails it
 */
public record Check(String name, Runnable body) {

  /** Runs the check; throws {@link AssertionError} saying what differs when the plugin fails it. */
  public void run() {
    body.run();
  }
}
