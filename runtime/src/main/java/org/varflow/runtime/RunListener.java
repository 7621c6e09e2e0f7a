package org.varflow.runtime;

import java.util.Map;

/**
 * Follows a run as it goes: the planned number of steps, each step, and each recorded history row (the
 * columns of {@code history.csv}: {@code step, time, energy, train_risk, test_risk}, each regularizer's
 * energy, {@code wall_ms}). It may stop the run at a record. All methods do nothing by default.
 */
public interface RunListener {
  /** A listener that only lets the run go on. */
  RunListener NONE = new RunListener() {};

  /** Called once before the first step, with the number of steps planned (0 when unknown). */
  default void onStart(long plannedSteps) {}

  /** Called after each step with the number of the step reached. */
  default void onStep(long step) {}

  /**
   * Called with each recorded row, in order.
   *
   * @return whether the run goes on
   */
  default boolean onRecord(Map<String, Object> row) {
    return true;
  }

  /** Called once when the solve ends, however it ends. */
  default void onEnd() {}
}
