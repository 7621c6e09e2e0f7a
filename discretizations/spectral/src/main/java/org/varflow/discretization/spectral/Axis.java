package org.varflow.discretization.spectral;

/**
 * One coordinate axis of the tensor basis: an orthonormal basis of L² along the axis (with respect to
 * arc length s dt), its quadrature, and the values and arc-length derivatives of the basis functions.
 *
 * <pre>
 *   Legendre on [lo, hi], L = hi − lo:  p_n(t) = √((2n+1)/L) Legendre_n(2(t − lo)/L − 1),  n = 0..P,
 *                                       Q Gauss–Legendre points (exact to degree 2Q − 1)
 *   Fourier on the circle of radius r, L = 2πr:  e_0 = 1/√L,  e_{2n−1} = √(2/L) cos nϕ,  e_{2n} = √(2/L) sin nϕ,
 *                                       n = 1..P,  d/ds = (1/r) d/dϕ,  Q equispaced points ϕ_q = 2πq/Q with
 *                                       weights L/Q (exact for trigonometric degree ≤ Q − 1)
 * </pre>
 */
final class Axis {
  /** Number of basis functions: P + 1 (Legendre) or 2P + 1 (Fourier). */
  final int size;
  /** Quadrature nodes t_q in the axis coordinate. */
  final double[] nodes;
  /** Quadrature weights in arc length. */
  final double[] weights;
  private final boolean periodic;
  private final int degree;
  private final double lower;
  private final double length;
  private final double scale;

  private Axis(boolean periodic, int degree, double lower, double length, double scale, double[] nodes,
      double[] weights) {
    this.periodic = periodic;
    this.degree = degree;
    this.size = size(periodic, degree);
    this.lower = lower;
    this.length = length;
    this.scale = scale;
    this.nodes = nodes;
    this.weights = weights;
  }

  /** @return the Legendre axis of degree P on [lo, hi] with a Q-point Gauss rule */
  static Axis legendre(double lo, double hi, int degree, int points) {
    double length = hi - lo;
    double[][] rule = Legendre.gauss(points);
    double[] nodes = new double[points];
    double[] weights = new double[points];
    for (int q = 0; q < points; q++) {
      nodes[q] = lo + length * (rule[0][q] + 1) / 2;
      weights[q] = length / 2 * rule[1][q];
    }
    return new Axis(false, degree, lo, length, 1, nodes, weights);
  }

  /** @return the Fourier axis of degree P on the circle of radius r with Q equispaced points */
  static Axis fourier(double radius, int degree, int points) {
    double length = 2 * Math.PI * radius;
    double[] nodes = new double[points];
    double[] weights = new double[points];
    for (int q = 0; q < points; q++) {
      nodes[q] = 2 * Math.PI * q / points;
      weights[q] = length / points;
    }
    return new Axis(true, degree, 0, length, radius, nodes, weights);
  }

  /**
   * @return the number of basis functions of degree P, P + 1 (Legendre) or 2P + 1 (Fourier); it is also the
   *     fewest quadrature points that integrate products of two of them exactly
   */
  static int size(boolean periodic, int degree) {
    return periodic ? 2 * degree + 1 : degree + 1;
  }

  /** @return {b_n(t)}, {db_n/ds(t)} for n = 0..size − 1 */
  double[][] evaluate(double t) {
    double[] value = new double[size];
    double[] derivative = new double[size];
    if (periodic) {
      value[0] = 1 / Math.sqrt(length);
      double norm = Math.sqrt(2 / length);
      for (int n = 1; n <= degree; n++) {
        double c = Math.cos(n * t);
        double s = Math.sin(n * t);
        value[2 * n - 1] = norm * c;
        value[2 * n] = norm * s;
        derivative[2 * n - 1] = -norm * n * s / scale;
        derivative[2 * n] = norm * n * c / scale;
      }
    } else {
      double[][] table = Legendre.table(degree, 2 * (t - lower) / length - 1);
      for (int n = 0; n <= degree; n++) {
        double norm = Math.sqrt((2 * n + 1) / length);
        value[n] = norm * table[0][n];
        derivative[n] = norm * table[1][n] * 2 / length; // d/dt = (2/L) d/ds
      }
    }
    return new double[][] {value, derivative};
  }
}
