package org.varflow.api.solve;

import java.util.Map;

/**
 * How far a solve went.
 *
 * @param steps steps taken
 * @param time continuum time reached ({@code +∞} for a stationary solve)
 * @param stoppedByObserver whether an observer ended the solve early
 * @param diagnostics solver-specific facts for the report: numbers ({@code residual}, {@code iterations}), names
 *     ({@code method: cholesky}) or yes/no ({@code converged: true})
 */
public record SolveResult(long steps, double time, boolean stoppedByObserver, Map<String, ?> diagnostics) {

  /** Copies the diagnostics. */
  public SolveResult {
    diagnostics = Map.copyOf(diagnostics);
  }

  /** A result without diagnostics. */
  public SolveResult(long steps, double time, boolean stoppedByObserver) {
    this(steps, time, stoppedByObserver, Map.of());
  }
}
