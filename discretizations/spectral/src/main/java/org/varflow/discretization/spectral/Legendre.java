package org.varflow.discretization.spectral;

/**
 * One-dimensional Legendre polynomials and Gauss–Legendre quadrature on [−1, 1], from the three-term
 * recurrence (Bonnet)
 *
 * <pre>
 *   P_0 = 1,  P_1 = t,  (n + 1) P_{n+1} = (2n + 1) t P_n − n P_{n−1}
 *   P'_{n+1} = P'_{n−1} + (2n + 1) P_n
 * </pre>
 *
 * <p>The Q Gauss nodes are the roots of P_Q, found by Newton's method from Tricomi's guess
 * t ≈ cos(π (j + 3/4)/(Q + 1/2)), with weights 2 / ((1 − t²) P'_Q(t)²) (Abramowitz &amp; Stegun 25.4.29;
 * the classical "gauleg" of Press et al., Numerical Recipes §4.6). The rule is exact for polynomials of
 * degree ≤ 2Q − 1.
 */
final class Legendre {
  private Legendre() {}

  /** @return {nodes, weights} of the Q-point Gauss–Legendre rule on [−1, 1], nodes ascending */
  static double[][] gauss(int points) {
    double[] nodes = new double[points];
    double[] weights = new double[points];
    for (int j = 0; j < (points + 1) / 2; j++) {
      double t = Math.cos(Math.PI * (j + 0.75) / (points + 0.5));
      double derivative = 0;
      for (int it = 0; it < 100; it++) {
        double[] pd = valueAndDerivative(points, t);
        derivative = pd[1];
        double dt = pd[0] / derivative; // Newton: t ← t − P_Q(t)/P'_Q(t)
        t -= dt;
        if (Math.abs(dt) <= 1e-16) {
          break;
        }
      }
      derivative = valueAndDerivative(points, t)[1];
      double w = 2 / ((1 - t * t) * derivative * derivative);
      nodes[j] = -t;
      nodes[points - 1 - j] = t;
      weights[j] = w;
      weights[points - 1 - j] = w;
    }
    if (points % 2 == 1) {
      nodes[points / 2] = 0;
    }
    return new double[][] {nodes, weights};
  }

  /** @return {P_n(t), P'_n(t)} */
  private static double[] valueAndDerivative(int n, double t) {
    double[][] all = table(n, t);
    return new double[] {all[0][n], all[1][n]};
  }

  /** @return {P_0..P_n (t), P'_0..P'_n (t)} by the recurrences above */
  static double[][] table(int n, double t) {
    double[] p = new double[n + 1];
    double[] dp = new double[n + 1];
    p[0] = 1;
    if (n >= 1) {
      p[1] = t;
      dp[1] = 1;
    }
    for (int m = 1; m < n; m++) {
      p[m + 1] = ((2 * m + 1) * t * p[m] - m * p[m - 1]) / (m + 1);
      dp[m + 1] = dp[m - 1] + (2 * m + 1) * p[m];
    }
    return new double[][] {p, dp};
  }
}
