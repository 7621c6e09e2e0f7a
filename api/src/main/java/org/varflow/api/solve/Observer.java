package org.varflow.api.solve;

/** Receives the progress of a {@link Solver}. Recorded steps carry the energy; plain steps only count. */
public interface Observer {

  /** Called once before the first step with the number of steps planned. */
  default void onStart(long plannedSteps) {}

  /** Called after every step; must be cheap. */
  default void onStep(long step) {}

  /**
   * Called at step 0, every {@code record_every} steps and at the last step.
   *
   * @return false to stop the solver after this record
   */
  boolean onRecord(StepRecord record);
}
