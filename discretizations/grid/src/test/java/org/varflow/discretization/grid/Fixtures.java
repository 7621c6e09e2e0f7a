package org.varflow.discretization.grid;

import java.util.Map;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.discretization.testkit.DensityFixtures;

/** The shared density fixtures, bound to the {@code grid} plugin (size option {@code points}, state {@code v}). */
final class Fixtures extends DensityFixtures {
  private Fixtures() {}

  /** Discretizes through the registry with {@code points} and the given extra options. */
  static DiscreteFlow flow(VariationalProblem problem, String backend, long seed, int points, Map<String, Object> extra) {
    return flow("grid", "points", problem, backend, seed, points, extra);
  }

  /** A flow started from v ~ N(0, scale²). */
  static DiscreteFlow gaussianFlow(VariationalProblem problem, String backend, long seed, int points, double scale) {
    return flow(problem, backend, seed, points, gaussianInit(scale));
  }

  /** v ← values. */
  static void set(DiscreteFlow flow, double[] values) {
    set(flow, "v", values);
  }

  /** 1-D trapezoid weights of N nodes on [−R, R]; the test's own copy of the quadrature. */
  static double[] trapezoid(int points) {
    double h = 2 * R / (points - 1);
    double[] w = new double[points];
    java.util.Arrays.fill(w, h);
    w[0] = h / 2;
    w[points - 1] = h / 2;
    return w;
  }

  /** μ_q for the k-D tensor grid, q in C order. */
  static double[] weights(int k, int points) {
    double[] w1 = trapezoid(points);
    int size = (int) Math.pow(points, k);
    double[] mu = new double[size];
    for (int q = 0; q < size; q++) {
      mu[q] = 1;
      for (int i = k - 1, rest = q; i >= 0; i--, rest /= points) {
        mu[q] *= w1[rest % points];
      }
    }
    return mu;
  }

  /** θ_q for the k-D tensor grid, q in C order (last axis fastest). */
  static double[] node(int q, int k, int points) {
    double h = 2 * R / (points - 1);
    double[] theta = new double[k];
    for (int i = k - 1, rest = q; i >= 0; i--, rest /= points) {
      theta[i] = -R + (rest % points) * h;
    }
    return theta;
  }
}
