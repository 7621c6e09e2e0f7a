package org.varflow.discretization.grid;

import org.varflow.api.problem.DensityWeight;
import org.varflow.api.problem.ParameterDomain;

/**
 * A tensor grid of N nodes per axis on the box Ω = Π_i [lo_i, hi_i] ⊂ R^k, with the quadrature and
 * the weighted Sobolev form of the density model, all on the JVM (Q = N^k ≤ a few thousand):
 *
 * <pre>
 *   θ_q = (lo_i + q_i h_i)_i,  h_i = (hi_i − lo_i)/(N − 1),  q = Σ_i q_i N^{k−1−i} (C order, last axis fastest)
 *   μ_q = Π_i h_i c(q_i),  c = ½ at q_i ∈ {0, N−1}, else 1                    (tensor trapezoid)
 *   uᵀ M_ω u = Σ_q μ_q ω(θ_q) u_q²                                             ≈ ∫ u² ω
 *   uᵀ K_ω u = Σ_{edges (q, q + e_i)} ω(mid) (Π_{j≠i} h_j c(q_j)) h_i ((u_{q+e_i} − u_q)/h_i)²   ≈ ∫ |∇u|² ω
 * </pre>
 *
 * <p>K_ω has no boundary terms: it is the finite-difference (P1 on each edge) stiffness with natural
 * (Neumann) boundary conditions. S = g K_ω + l M_ω is applied in the L²-orthonormal coordinates
 * v = M^{1/2} u, where it reads T = M^{−1/2} S M^{−1/2}.
 */
final class Grid {
  final int k;
  final int points;
  final int size;
  /** θ_q, row-major Q×k. */
  final double[] nodes;
  /** μ_q. */
  final double[] mu;
  /** μ_q ω(θ_q). */
  private final double[] massWeight;
  /** Edge q → q', and its coefficient ω(mid) Π_{j≠i} h_j c(q_j) / h_i. */
  private final int[] edgeFrom;
  private final int[] edgeTo;
  private final double[] edgeCoefficient;

  Grid(ParameterDomain domain, DensityWeight weight, int points) {
    this.k = domain.dimension();
    this.points = points;
    int q = 1;
    for (int i = 0; i < k; i++) {
      q = Math.multiplyExact(q, points);
    }
    this.size = q;
    double[] lo = domain.lower();
    double[] hi = domain.upper();
    double[] h = new double[k];
    for (int i = 0; i < k; i++) {
      h[i] = (hi[i] - lo[i]) / (points - 1);
    }
    nodes = new double[size * k];
    mu = new double[size];
    massWeight = new double[size];
    int edges = k * (size / points) * (points - 1);
    edgeFrom = new int[edges];
    edgeTo = new int[edges];
    edgeCoefficient = new double[edges];
    int[] index = new int[k];
    double[] theta = new double[k];
    int e = 0;
    for (int p = 0; p < size; p++) {
      decode(p, index);
      double weightProduct = 1;
      for (int i = 0; i < k; i++) {
        theta[i] = lo[i] + index[i] * h[i];
        nodes[p * k + i] = theta[i];
        weightProduct *= trapezoid(index[i], h[i]);
      }
      mu[p] = weightProduct;
      massWeight[p] = weightProduct * weight.value(theta);
      for (int i = 0; i < k; i++) {
        if (index[i] == points - 1) {
          continue;
        }
        double[] mid = theta.clone();
        mid[i] += h[i] / 2;
        edgeFrom[e] = p;
        edgeTo[e] = p + stride(i);
        // ω(mid) · Π_{j≠i} h_j c(q_j) · h_i · (1/h_i)²
        edgeCoefficient[e] = weight.value(mid) * weightProduct / trapezoid(index[i], h[i]) / h[i];
        e++;
      }
    }
  }

  /** @return h c(j): the 1-D trapezoid weight of node j */
  private double trapezoid(int j, double h) {
    return j == 0 || j == points - 1 ? h / 2 : h;
  }

  /** @return N^{k−1−i}, the index step along axis i */
  private int stride(int axis) {
    int s = 1;
    for (int i = axis + 1; i < k; i++) {
      s *= points;
    }
    return s;
  }

  /** (q_1, …, q_k) of flat index p, last axis fastest. */
  private void decode(int p, int[] index) {
    for (int i = k - 1; i >= 0; i--) {
      index[i] = p % points;
      p /= points;
    }
  }

  /** @return T v = M^{−1/2} (g K_ω + l M_ω) M^{−1/2} v */
  double[] applyNormalized(double[] v, double g, double l) {
    double[] u = new double[size];
    double[] out = new double[size];
    for (int p = 0; p < size; p++) {
      u[p] = v[p] / Math.sqrt(mu[p]);
      out[p] = l * massWeight[p] * u[p];
    }
    if (g != 0) {
      for (int e = 0; e < edgeFrom.length; e++) {
        double flux = g * edgeCoefficient[e] * (u[edgeTo[e]] - u[edgeFrom[e]]);
        out[edgeFrom[e]] -= flux;
        out[edgeTo[e]] += flux;
      }
    }
    for (int p = 0; p < size; p++) {
      out[p] /= Math.sqrt(mu[p]);
    }
    return out;
  }

  /** @return T as a dense, row-major Q×Q matrix, row j = T e_j (T is symmetric) */
  double[] denseNormalized(double g, double l) {
    double[] dense = new double[size * size];
    double[] unit = new double[size];
    for (int j = 0; j < size; j++) {
      unit[j] = 1;
      System.arraycopy(applyNormalized(unit, g, l), 0, dense, j * size, size);
      unit[j] = 0;
    }
    return dense;
  }
}
