package org.varflow.api.solve;

/** The flow stopped being finite: the run fails (exit code 3) keeping what it recorded. */
public class DivergenceException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final long step;

  /**
   * @param step the step at which the failure was detected
   * @param time the continuum time of that step
   * @param reason what stopped being finite
   */
  public DivergenceException(long step, double time, String reason) {
    super("diverged at step " + step + " (t = " + time + "): " + reason);
    this.step = step;
  }

  /** @return the step at which the failure was detected */
  public long step() {
    return step;
  }
}
