package org.varflow.api.solve;

import org.varflow.api.flow.Evaluation;

/**
 * One recorded point of a solve.
 *
 * @param step number of steps taken so far
 * @param time continuum time reached
 * @param evaluation energy and its parts at this point
 */
public record StepRecord(long step, double time, Evaluation evaluation) {}
