package org.varflow.api.solve;

/**
 * @param steps steps taken
 * @param time continuum time reached
 * @param stoppedByObserver whether an observer ended the solve early
 */
public record SolveResult(long steps, double time, boolean stoppedByObserver) {}
