package org.varflow.app.run;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import org.varflow.runtime.RunListener;

/**
 * Progress for logs (standard output not a terminal): at most one line per interval, e.g.
 * {@code progress: step 1200/4000 (30%), energy 1.234e-02, 12 s elapsed, about 28 s left}, so that the log of a long
 * run shows it is alive and how far it is.
 */
final class ProgressLineListener implements RunListener {
  /** Seconds between two lines. */
  static final long INTERVAL_SECONDS = 5;

  private final PrintWriter out;
  private final LongSupplier nanoClock;
  private final long intervalNanos;
  private long planned;
  private long start;
  private long lastLine;
  private double energy = Double.NaN;

  ProgressLineListener(PrintWriter out) {
    this(out, System::nanoTime, INTERVAL_SECONDS * 1_000_000_000L);
  }

  /** @param nanoClock the clock, in nanoseconds; @param intervalNanos the least time between two lines */
  ProgressLineListener(PrintWriter out, LongSupplier nanoClock, long intervalNanos) {
    this.out = out;
    this.nanoClock = nanoClock;
    this.intervalNanos = intervalNanos;
  }

  @Override
  public void onStart(long plannedSteps) {
    planned = plannedSteps;
    start = nanoClock.getAsLong();
    lastLine = start;
  }

  @Override
  public boolean onRecord(Map<String, Object> row) {
    energy = (Double) row.get("energy");
    return true;
  }

  /** Prints a line when the interval has passed: steps done, energy of the last record, time used and left. */
  @Override
  public void onStep(long step) {
    long now = nanoClock.getAsLong();
    if (now - lastLine < intervalNanos) {
      return;
    }
    lastLine = now;
    double elapsed = (now - start) / 1e9;
    StringBuilder line = new StringBuilder("progress: step ").append(step);
    if (planned > 0) {
      line.append(String.format(Locale.ROOT, "/%d (%d%%)", planned, 100 * step / planned));
    }
    line.append(String.format(Locale.ROOT, ", energy %.4g, %.0f s elapsed", energy, elapsed));
    if (planned > 0 && step > 0) {
      line.append(String.format(Locale.ROOT, ", about %.0f s left", elapsed * (planned - step) / step));
    }
    out.println(line);
    out.flush();
  }
}
