package org.varflow.runtime.data;

import java.util.SplittableRandom;
import org.varflow.api.Options;
import org.varflow.api.SpecException;
import org.varflow.api.problem.Dataset;

/**
 * Synthetic problems. Inputs ({@code inputs}, scale s = {@code input_scale}, all with E|x|² = s²d):
 * {@code gaussian} N(0, s²I), {@code sphere} uniform on the sphere of radius s√d, {@code box} uniform on
 * [−s√3, s√3]^d. Targets, plus N(0, {@code noise}²) label noise:
 * <ul>
 *   <li>{@code teacher}: f*(x) = (1/√k) Σ_{t=1..k} a_t max(w_t·x, 0), a_t ~ N(0,1), w_t uniform on the
 *       unit sphere ({@code k} default 5);</li>
 *   <li>{@code sines}: f*(x) = sin(p·x) + cos(q·x), p and q of norm {@code frequency} (default 1) in
 *       random directions.</li>
 * </ul>
 * The target function is drawn from {@code function_seed} (default: the run seed), so train and test
 * share it; samples are drawn from the run seed and the role (train or test), so they differ.
 */
final class Generators {
  private Generators() {}

  static Dataset generate(Options node, long seed, int role) {
    String name = node.getString("generator");
    int n = node.getInt("n");
    int d = node.getInt("d");
    if ((long) n * d > Integer.MAX_VALUE) {
      throw new SpecException(node.keyPath("n"), "n·d = " + n + "·" + d + " = " + (long) n * d + " inputs, more than"
          + " an array holds (" + Integer.MAX_VALUE + "); use a smaller n or d");
    }
    String inputs = node.getString("inputs");
    double scale = node.getDouble("input_scale");
    double noise = node.getDouble("noise");
    SplittableRandom fn = new SplittableRandom(node.getLong("function_seed", seed));
    SplittableRandom samples = new SplittableRandom(new SplittableRandom(seed + 7919L * role).nextLong());
    double[] x = sampleInputs(inputs, n, d, scale, samples);
    double[] y = new double[n];
    if (name.equals("teacher")) {
      int k = node.getInt("k");
      double[] a = new double[k];
      double[] w = new double[k * d];
      for (int t = 0; t < k; t++) {
        a[t] = fn.nextGaussian();
        System.arraycopy(unitVector(d, fn), 0, w, t * d, d);
      }
      for (int i = 0; i < n; i++) {
        double f = 0;
        for (int t = 0; t < k; t++) {
          f += a[t] * Math.max(dot(w, t * d, x, i * d, d), 0.0);
        }
        y[i] = f / Math.sqrt(k);
      }
    } else {
      double freq = node.getDouble("frequency");
      double[] p = unitVector(d, fn);
      double[] q = unitVector(d, fn);
      for (int i = 0; i < n; i++) {
        y[i] = Math.sin(freq * dot(p, 0, x, i * d, d)) + Math.cos(freq * dot(q, 0, x, i * d, d));
      }
    }
    for (int i = 0; i < n; i++) {
      y[i] += noise * samples.nextGaussian();
    }
    return new Dataset(name + " (" + node.path() + ")", n, d, x, y);
  }

  private static double[] sampleInputs(String kind, int n, int d, double s, SplittableRandom rng) {
    double[] x = new double[n * d];
    for (int i = 0; i < n; i++) {
      double[] row = switch (kind) {
        case "sphere" -> scaled(unitVector(d, rng), s * Math.sqrt(d));
        case "box" -> {
          double[] u = new double[d];
          for (int k = 0; k < d; k++) {
            u[k] = s * Math.sqrt(3) * (2 * rng.nextDouble() - 1);
          }
          yield u;
        }
        default -> {
          double[] g = new double[d];
          for (int k = 0; k < d; k++) {
            g[k] = s * rng.nextGaussian();
          }
          yield g;
        }
      };
      System.arraycopy(row, 0, x, i * d, d);
    }
    return x;
  }

  /** A uniform point on the unit sphere: a normalised standard Gaussian vector. */
  private static double[] unitVector(int d, SplittableRandom rng) {
    double[] g = new double[d];
    double norm = 0;
    while (norm == 0) {
      for (int k = 0; k < d; k++) {
        g[k] = rng.nextGaussian();
        norm += g[k] * g[k];
      }
    }
    return scaled(g, 1 / Math.sqrt(norm));
  }

  private static double[] scaled(double[] v, double s) {
    for (int k = 0; k < v.length; k++) {
      v[k] *= s;
    }
    return v;
  }

  private static double dot(double[] u, int uOff, double[] v, int vOff, int d) {
    double s = 0;
    for (int k = 0; k < d; k++) {
      s += u[uOff + k] * v[vOff + k];
    }
    return s;
  }
}
