package org.varflow.api.flow;

import java.util.Locale;

/**
 * What a discretization will hold in memory for a problem, estimated before anything is allocated: the bytes of
 * its largest tensors (state, kept operators, the temporaries of one evaluation) and the option that sets their
 * size, so that a run too large for the backend stops at once, naming what to change.
 *
 * @param bytes the estimate
 * @param key the option that sets the size, e.g. {@code discretization.width}
 * @param what the terms of the estimate with their sizes, e.g. {@code 3 n×m activations, n = 2000, m = 100000000}
 */
public record Footprint(long bytes, String key, String what) {

  /**
   * @param elements the number of tensor elements, as a double so that huge sizes cannot overflow
   * @param bytesPerElement 8 for float64, 4 for float32
   * @return a footprint of {@code elements} elements
   */
  public static Footprint of(double elements, int bytesPerElement, String key, String what) {
    double bytes = elements * bytesPerElement;
    return new Footprint(bytes >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) bytes, key, what);
  }

  /** @return {@code bytes} in the largest unit that keeps a number ≥ 1: {@code 1.6 GB}, {@code 512 MB} */
  public static String human(long bytes) {
    String[] units = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
    double v = bytes;
    int u = 0;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.3g %s", v, units[u]);
  }
}
