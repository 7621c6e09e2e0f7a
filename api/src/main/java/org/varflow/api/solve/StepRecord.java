package org.varflow.api.solve;

import java.util.Map;
import org.varflow.api.flow.Evaluation;

/**
 * One recorded point of a solve.
 *
 * @param step number of steps taken so far
 * @param time continuum time reached
 * @param evaluation energy and its parts at this point
 * @param columns the solver's own history columns at this point (e.g. SAV's r), after the flow's in
 *     {@code history.csv}; the same names at every record
 */
public record StepRecord(long step, double time, Evaluation evaluation, Map<String, Double> columns) {

  /** Copies the columns. */
  public StepRecord {
    columns = Map.copyOf(columns);
  }

  /** A record without columns of the solver's own. */
  public StepRecord(long step, double time, Evaluation evaluation) {
    this(step, time, evaluation, Map.of());
  }
}
