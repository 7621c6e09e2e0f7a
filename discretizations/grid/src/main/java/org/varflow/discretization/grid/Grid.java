package org.varflow.discretization.grid;

import org.varflow.api.problem.DensityWeight;
import org.varflow.api.problem.ParameterDomain;

/**
 * A tensor grid of N nodes per coordinate axis on the parameter domain Ω (a box, or S¹_r × [b₀, b₁] with
 * the periodic angle, see {@link ParameterDomain}), with the quadrature and the weighted Sobolev form of
 * the density model, all on the JVM (Q = N^k ≤ a few thousand):
 *
 * <pre>
 *   t_q = (lo_i + q_i Δ_i)_i,  Δ_i = (hi_i − lo_i)/(N − 1)   (periodic axis: Δ_i = 2π/N, no duplicate end node)
 *   θ_q = θ(t_q),  h_i = s_i Δ_i (length of a cell edge),  q = Σ_i q_i N^{k−1−i} (C order, last axis fastest)
 *   μ_q = Π_i h_i c(q_i),  c = ½ at q_i ∈ {0, N−1} of a bounded axis, else 1    (tensor trapezoid)
 *   uᵀ M_ω u = Σ_q μ_q ω(θ_q) u_q²                                             ≈ ∫ u² ω
 *   uᵀ K_ω u = Σ_{edges (q, q + e_i)} ω(mid) (Π_{j≠i} h_j c(q_j)) h_i ((u_{q+e_i} − u_q)/h_i)²   ≈ ∫ |∇u|² ω
 * </pre>
 *
 * <p>Edges along a periodic axis wrap around (N − 1 → 0). K_ω has no boundary terms: it is the
 * finite-difference (P1 on each edge) stiffness with natural (Neumann) boundary conditions.
 * S = g K_ω + l M_ω is applied in the L²-orthonormal coordinates v = M^{1/2} u, where it reads
 * T = M^{−1/2} S M^{−1/2}. Between nodes u is the multilinear (Q1) interpolant.
 */
final class Grid {
  final int k;
  final int points;
  final int size;
  /** Components of θ (3 on a circle, else k). */
  final int parameterDimension;
  /** θ_q, row-major Q × parameterDimension. */
  final double[] nodes;
  /** μ_q. */
  final double[] mu;
  private final double[] lo;
  private final double[] step;
  private final boolean[] periodic;
  /** μ_q ω(θ_q). */
  private final double[] massWeight;
  /** Edge q → q', and its coefficient ω(mid) Π_{j≠i} h_j c(q_j) / h_i. */
  private final int[] edgeFrom;
  private final int[] edgeTo;
  private final double[] edgeCoefficient;

  Grid(ParameterDomain domain, DensityWeight weight, int points) {
    this.k = domain.dimension();
    this.points = points;
    this.parameterDimension = domain.parameterDimension();
    int q = 1;
    for (int i = 0; i < k; i++) {
      q = Math.multiplyExact(q, points);
    }
    this.size = q;
    lo = domain.lower();
    double[] hi = domain.upper();
    step = new double[k];
    periodic = new boolean[k];
    double[] h = new double[k];
    int edges = 0;
    for (int i = 0; i < k; i++) {
      periodic[i] = domain.periodic(i);
      step[i] = (hi[i] - lo[i]) / (periodic[i] ? points : points - 1);
      h[i] = domain.scale(i) * step[i];
      edges += (size / points) * (periodic[i] ? points : points - 1);
    }
    nodes = new double[size * parameterDimension];
    mu = new double[size];
    massWeight = new double[size];
    edgeFrom = new int[edges];
    edgeTo = new int[edges];
    edgeCoefficient = new double[edges];
    int[] index = new int[k];
    double[] t = new double[k];
    int e = 0;
    for (int p = 0; p < size; p++) {
      decode(p, index);
      double weightProduct = 1;
      for (int i = 0; i < k; i++) {
        t[i] = lo[i] + index[i] * step[i];
        weightProduct *= trapezoid(i, index[i], h[i]);
      }
      System.arraycopy(domain.parameters(t), 0, nodes, p * parameterDimension, parameterDimension);
      mu[p] = weightProduct;
      massWeight[p] = weightProduct * weight.value(domain.parameters(t));
      for (int i = 0; i < k; i++) {
        boolean last = index[i] == points - 1;
        if (last && !periodic[i]) {
          continue;
        }
        double[] mid = t.clone();
        mid[i] += step[i] / 2;
        edgeFrom[e] = p;
        edgeTo[e] = last ? p - (points - 1) * stride(i) : p + stride(i);
        // ω(mid) · Π_{j≠i} h_j c(q_j) · h_i · (1/h_i)²
        edgeCoefficient[e] = weight.value(domain.parameters(mid)) * weightProduct / trapezoid(i, index[i], h[i]) / h[i];
        e++;
      }
    }
  }

  /** @return h c(j): the 1-D trapezoid weight of node j on axis i */
  private double trapezoid(int axis, int j, double h) {
    return !periodic[axis] && (j == 0 || j == points - 1) ? h / 2 : h;
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

  /**
   * @param u node values
   * @param coordinates points t_p, row-major count × k
   * @return the multilinear interpolant Σ_{corners c} Π_i (λ_i or 1 − λ_i) u_c at each point (outside Ω:
   *     extended constantly along bounded axes)
   */
  double[] interpolate(double[] u, double[] coordinates) {
    int count = coordinates.length / k;
    double[] out = new double[count];
    int[] cell = new int[k];
    double[] fraction = new double[k];
    for (int p = 0; p < count; p++) {
      for (int i = 0; i < k; i++) {
        double x = (coordinates[p * k + i] - lo[i]) / step[i];
        if (periodic[i]) {
          x = ((x % points) + points) % points;
          cell[i] = Math.min(points - 1, (int) x);
        } else {
          x = Math.max(0, Math.min(points - 1, x));
          cell[i] = Math.min(points - 2, (int) x);
        }
        fraction[i] = x - cell[i];
      }
      double sum = 0;
      for (int corner = 0; corner < 1 << k; corner++) {
        double factor = 1;
        int node = 0;
        for (int i = 0; i < k; i++) {
          boolean upper = (corner >> i & 1) == 1;
          factor *= upper ? fraction[i] : 1 - fraction[i];
          node = node * points + (upper ? (cell[i] + 1) % points : cell[i]);
        }
        sum += factor * u[node];
      }
      out[p] = sum;
    }
    return out;
  }
}
