package org.example.orthogonal.features;

import java.util.SplittableRandom;
import org.varflow.api.Options;
import org.varflow.api.problem.FeatureDistribution;
import org.varflow.discretization.random.features.SampledFeatures;

/**
 * {@code orthogonal-features}: W in blocks of d rows W_b = S Q, Q a Haar-random orthogonal d×d matrix and
 * S the diagonal of d independent row lengths, each the length of a sample of π (χ_d · s/√d for gaussian
 * π, s for the sphere). Every row has law π, and the rows of a block are orthogonal, which lowers the
 * variance of the kernel the features estimate.
 */
public final class OrthogonalFeatures extends SampledFeatures {

  @Override
  public String id() {
    return "orthogonal-features";
  }

  @Override
  public String description() {
    return "random features orthogonal within blocks of d (Yu et al. 2016), each w_j ~ π";
  }

  @Override
  protected double[] sample(FeatureDistribution pi, int m, int d, SplittableRandom rng, Options options) {
    double[] w = new double[m * d];
    for (int b0 = 0; b0 < m; b0 += d) {
      double[][] q = haar(d, rng);
      for (int r = 0; r < Math.min(d, m - b0); r++) {
        double length = pi.kind().equals("sphere") ? pi.scale() : chi(d, rng) * pi.scale() / Math.sqrt(d);
        for (int k = 0; k < d; k++) {
          w[(b0 + r) * d + k] = length * q[r][k];
        }
      }
    }
    return w;
  }

  /** @return the rows of a Haar-random orthogonal matrix: Gram–Schmidt on i.i.d. Gaussian rows */
  private static double[][] haar(int d, SplittableRandom rng) {
    double[][] q = new double[d][d];
    for (int r = 0; r < d; r++) {
      for (int k = 0; k < d; k++) {
        q[r][k] = rng.nextGaussian();
      }
      for (int pass = 0; pass < 2; pass++) { // twice, for orthogonality to rounding
        for (int p = 0; p < r; p++) {
          double dot = 0;
          for (int k = 0; k < d; k++) {
            dot += q[r][k] * q[p][k];
          }
          for (int k = 0; k < d; k++) {
            q[r][k] -= dot * q[p][k];
          }
        }
      }
      double norm = 0;
      for (int k = 0; k < d; k++) {
        norm += q[r][k] * q[r][k];
      }
      for (int k = 0; k < d; k++) {
        q[r][k] /= Math.sqrt(norm);
      }
    }
    return q;
  }

  /** @return |g| for g ~ N(0, I_d): a χ_d sample */
  private static double chi(int d, SplittableRandom rng) {
    double sum = 0;
    for (int k = 0; k < d; k++) {
      double g = rng.nextGaussian();
      sum += g * g;
    }
    return Math.sqrt(sum);
  }
}
