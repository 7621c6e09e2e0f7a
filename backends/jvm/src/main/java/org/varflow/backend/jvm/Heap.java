package org.varflow.backend.jvm;

import java.util.Arrays;
import org.varflow.backend.support.StoragePool;

/**
 * The Java arrays behind tensors. Arrays of at least {@link #POOLED} elements come back here when their
 * tensor is released and are handed out again: a new 256 MiB array costs a single-threaded zeroing pass
 * (~15 ms) and garbage-collector work, every step of a flow.
 */
final class Heap {
  /** Elements from which arrays are recycled. */
  static final int POOLED = 1 << 16;
  /** Elements per parallel chunk when zeroing. */
  private static final int GRAIN = 1 << 18;
  private static final StoragePool<Object> FREE = new StoragePool<>(4, array -> {});

  private Heap() {}

  /** @return a float array of length n, zeroed when {@code zero}, else with arbitrary contents */
  static float[] floats(int n, boolean zero) {
    if (n < POOLED) {
      return new float[n];
    }
    float[] a = (float[]) FREE.take(key(n, true), () -> new float[n]);
    if (zero) {
      Parallel.forRange(n, GRAIN, (from, to) -> Arrays.fill(a, from, to, 0f));
    }
    return a;
  }

  /** @return a double array of length n, zeroed when {@code zero}, else with arbitrary contents */
  static double[] doubles(int n, boolean zero) {
    if (n < POOLED) {
      return new double[n];
    }
    double[] a = (double[]) FREE.take(key(n, false), () -> new double[n]);
    if (zero) {
      Parallel.forRange(n, GRAIN, (from, to) -> Arrays.fill(a, from, to, 0.0));
    }
    return a;
  }

  /** Takes back the array of a released tensor ({@code float[]} or {@code double[]}). */
  static void give(Object array) {
    int n = array instanceof float[] f ? f.length : ((double[]) array).length;
    if (n >= POOLED) {
      FREE.give(key(n, array instanceof float[]), array);
    }
  }

  /** Lets go of the pooled arrays, for the garbage collector to take. */
  static void clear() {
    FREE.clear();
  }

  private static Long key(int n, boolean single) {
    return 2L * n + (single ? 1 : 0);
  }
}
