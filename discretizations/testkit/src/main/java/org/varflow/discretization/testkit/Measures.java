package org.varflow.discretization.testkit;

import java.util.Arrays;

/** Distances between result vectors and least-squares fits of rates, shared by the discretizations' tests. */
public class Measures {
  /** For fixture classes that extend this one. */
  protected Measures() {}

  /** @return ‖actual − expected‖ / ‖expected‖ */
  public static double relativeDifference(double[] actual, double[] expected) {
    double err = 0;
    double norm = 0;
    for (int i = 0; i < actual.length; i++) {
      err += (actual[i] - expected[i]) * (actual[i] - expected[i]);
      norm += expected[i] * expected[i];
    }
    return Math.sqrt(err / norm);
  }

  /** @return max |actual − expected| / max |expected| */
  public static double maxRelativeDifference(double[] actual, double[] expected) {
    double err = 0;
    double scale = 0;
    for (int i = 0; i < actual.length; i++) {
      err = Math.max(err, Math.abs(actual[i] - expected[i]));
      scale = Math.max(scale, Math.abs(expected[i]));
    }
    return err / scale;
  }

  /** @return the root mean square of a − b */
  public static double rmsDifference(double[] a, double[] b) {
    double e = 0;
    for (int i = 0; i < a.length; i++) {
      e += (a[i] - b[i]) * (a[i] - b[i]) / a.length;
    }
    return Math.sqrt(e);
  }

  /** @return the least-squares slope of y against x */
  public static double slope(double[] x, double[] y) {
    double mx = mean(x);
    double my = mean(y);
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
    }
    return sxy / sxx;
  }

  /** @return R² of the least-squares line of y against x */
  public static double rSquared(double[] x, double[] y) {
    double b = slope(x, y);
    double mx = mean(x);
    double my = mean(y);
    double residual = 0;
    double total = 0;
    for (int i = 0; i < x.length; i++) {
      double fit = my + b * (x[i] - mx);
      residual += (y[i] - fit) * (y[i] - fit);
      total += (y[i] - my) * (y[i] - my);
    }
    return 1 - residual / total;
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElseThrow();
  }
}
