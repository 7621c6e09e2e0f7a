package org.varflow.api.solve;

import java.util.Map;

/**
 * How far a solve went.
 *
 * @param steps steps taken
 * @param time continuum time reached ({@code +∞} for a stationary solve)
 * @param stoppedByObserver whether an observer ended the solve early
 * @param diagnostics solver-specific numbers for the report, e.g. {@code residual}, {@code iterations}
 */
public record SolveResult(long steps, double time, boolean stoppedByObserver, Map<String, Double> diagnostics) {

  /** Copies the diagnostics. */
  public SolveResult {
    diagnostics = Map.copyOf(diagnostics);
  }

  /** A result without diagnostics. */
  public SolveResult(long steps, double time, boolean stoppedByObserver) {
    this(steps, time, stoppedByObserver, Map.of());
  }
}
