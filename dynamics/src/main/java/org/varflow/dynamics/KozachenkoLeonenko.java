package org.varflow.dynamics;

/**
 * The Kozachenko–Leonenko nearest-neighbour estimate of the differential entropy of N samples θ_j ∈ R^D:
 *
 * <pre>
 *   H ≈ ψ(N) − ψ(1) + log V_D + (D/N) Σ_j log ε_j,      V_D = π^{D/2} / Γ(D/2 + 1)
 * </pre>
 *
 * with ε_j the distance from θ_j to its nearest other sample and ψ the digamma function (ψ(N) − ψ(1) = H_{N−1},
 * the harmonic number). It is consistent for bounded continuous densities; its bias decays like N^{−1/D} up to
 * logarithms, so it is accurate in low dimension and coarse in high. Cost O(N² D).
 */
final class KozachenkoLeonenko {
  private KozachenkoLeonenko() {}

  /**
   * @param samples N×D row-major, N ≥ 2, no two samples equal
   * @return the estimate of H = −∫ρ log ρ
   */
  static double entropy(double[] samples, int n, int d) {
    double sumLog = 0;
    for (int i = 0; i < n; i++) {
      double nearest = Double.POSITIVE_INFINITY;
      for (int j = 0; j < n; j++) {
        if (j == i) {
          continue;
        }
        double squared = 0;
        for (int c = 0; c < d; c++) {
          double diff = samples[i * d + c] - samples[j * d + c];
          squared += diff * diff;
        }
        nearest = Math.min(nearest, squared);
      }
      sumLog += 0.5 * Math.log(nearest); // log ε_i
    }
    double harmonic = 0; // H_{N−1} = ψ(N) − ψ(1)
    for (int k = 1; k < n; k++) {
      harmonic += 1.0 / k;
    }
    return harmonic + logUnitBallVolume(d) + d * sumLog / n;
  }

  /** @return log V_D = (D/2) log π − log Γ(D/2 + 1), Γ at integers and half-integers exactly */
  static double logUnitBallVolume(int d) {
    double logGamma = 0; // log Γ(D/2 + 1)
    if (d % 2 == 0) {
      for (int k = 2; k <= d / 2; k++) {
        logGamma += Math.log(k); // Γ(n + 1) = n!
      }
    } else {
      logGamma = 0.5 * Math.log(Math.PI);
      for (int k = 1; k <= (d + 1) / 2; k++) {
        logGamma += Math.log(k - 0.5); // Γ(n + 3/2) = √π Π_{k=1}^{n+1} (k − 1/2)
      }
    }
    return 0.5 * d * Math.log(Math.PI) - logGamma;
  }
}
