package org.varflow.api.problem;

import java.util.Arrays;

/**
 * An empirical data measure (1/n) Σ δ_{(x_i, y_i)}: n inputs in R^d stored row-major, and n targets.
 *
 * @param name where the data came from (file or generator), for messages and reports
 * @param n number of samples
 * @param d input dimension
 * @param x inputs, row-major n×d
 * @param y targets, length n
 */
public record Dataset(String name, int n, int d, double[] x, double[] y) {

  /** Checks the array lengths against n and d. */
  public Dataset {
    if (x.length != (long) n * d || y.length != n) {
      throw new IllegalArgumentException(name + ": expected " + n + "×" + d + " inputs and " + n
          + " targets, got " + x.length + " input values and " + y.length + " targets");
    }
  }

  /** @return the inputs with a trailing column of ones, x ← (x, 1): row-major n×(d+1) */
  public double[] inputsWithBias() {
    double[] out = new double[Math.multiplyExact(n, d + 1)];
    for (int i = 0; i < n; i++) {
      System.arraycopy(x, i * d, out, i * (d + 1), d);
      out[i * (d + 1) + d] = 1.0;
    }
    return out;
  }

  /** @return rows {@code from} (inclusive) to {@code to} (exclusive) as a new dataset */
  public Dataset rows(int from, int to, String newName) {
    return new Dataset(newName, to - from, d, Arrays.copyOfRange(x, from * d, to * d), Arrays.copyOfRange(y, from, to));
  }

  /**
   * @param rows sample indices in [0, n), in any order, repeats allowed
   * @return the samples {@code rows}, in that order (a mini-batch)
   */
  public Dataset select(int[] rows) {
    double[] xs = new double[Math.multiplyExact(rows.length, d)];
    double[] ys = new double[rows.length];
    for (int k = 0; k < rows.length; k++) {
      if (rows[k] < 0 || rows[k] >= n) {
        throw new IndexOutOfBoundsException(name + ": row " + rows[k] + " of a batch is outside [0, " + n + ")");
      }
      System.arraycopy(x, rows[k] * d, xs, k * d, d);
      ys[k] = y[rows[k]];
    }
    return new Dataset(name, rows.length, d, xs, ys);
  }
}
