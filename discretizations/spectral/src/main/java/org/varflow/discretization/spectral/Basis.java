package org.varflow.discretization.spectral;

import org.varflow.api.problem.DensityWeight;
import org.varflow.api.problem.ParameterDomain;

/**
 * The orthonormal tensor Legendre basis of L²(Ω) on the box Ω = Π_i [lo_i, hi_i] ⊂ R^k, its tensor
 * Gauss–Legendre quadrature and its weighted Sobolev Gram matrix, all on the JVM:
 *
 * <pre>
 *   p_n(t) = √((2n+1)/L_i) · Legendre_n(s),  s = 2(t − lo_i)/L_i − 1,  L_i = hi_i − lo_i,  n = 0..P
 *   P_α(θ) = Π_i p_{α_i}(θ_i),  α ↔ Σ_i α_i (P+1)^{k−1−i}  (C order, last axis fastest)
 *   θ_q = (lo_i + L_i (s_{q_i} + 1)/2)_i,  w_q = Π_i (L_i/2) w_{q_i}   (Q Gauss points per axis)
 *   B_qα = P_α(θ_q)
 *   S = g Σ_i ⊗_j (j = i ? K_j : M_j) + l ⊗_j M_j,
 *   M_j[a][b] = Σ_q w_q ω_j(θ_q) p_a p_b ≈ ∫ p_a p_b ω_j,   K_j[a][b] = Σ_q w_q ω_j(θ_q) p_a' p_b' ≈ ∫ p_a' p_b' ω_j
 * </pre>
 *
 * <p>Both weights are products ω(θ) = Π_j ω_j(θ_j) with ω_j(t) = ω(t e_j) (uniform: 1; gaussian:
 * exp(−t²/(2s²))), so the tensor quadrature of S_αβ = ∫(g ∇P_α·∇P_β + l P_α P_β) ω factors into the
 * Kronecker sums above; it equals the full tensor-Gauss value. For uniform ω, M_j = I exactly (degree
 * 2P ≤ 2Q − 1), so the l-part is l·I. No constraint at ∂Ω: the boundary condition is the natural one.
 */
final class Basis {
  final int k;
  final int degree;
  /** (P+1)^k, the number of coefficients. */
  final int size;
  /** Q^k, the number of quadrature nodes. */
  final int nodeCount;
  /** θ_q, row-major nodeCount×k. */
  final double[] nodes;
  /** w_q B_qα, row-major nodeCount×size. */
  final double[] weightedValues;
  /** Per axis: p_n at the Q 1-D nodes [axis][node][n], and the 1-D matrices M_j, K_j. */
  private final double[][][] mass;
  private final double[][][] stiffness;

  Basis(ParameterDomain domain, DensityWeight weight, int degree, int points) {
    this.k = domain.dimension();
    this.degree = degree;
    int basisSize = 1;
    int nodeTotal = 1;
    for (int i = 0; i < k; i++) {
      basisSize = Math.multiplyExact(basisSize, degree + 1);
      nodeTotal = Math.multiplyExact(nodeTotal, points);
    }
    this.size = basisSize;
    this.nodeCount = nodeTotal;
    double[] lo = domain.lower();
    double[] hi = domain.upper();
    double[][] rule = Legendre.gauss(points);
    double[][] theta1 = new double[k][points];
    double[][] weight1 = new double[k][points];
    double[][][] value1 = new double[k][points][];
    mass = new double[k][degree + 1][degree + 1];
    stiffness = new double[k][degree + 1][degree + 1];
    for (int i = 0; i < k; i++) {
      double length = hi[i] - lo[i];
      for (int q = 0; q < points; q++) {
        theta1[i][q] = lo[i] + length * (rule[0][q] + 1) / 2;
        weight1[i][q] = length / 2 * rule[1][q];
        double[][] table = Legendre.table(degree, rule[0][q]);
        double[] p = new double[degree + 1];
        double[] dp = new double[degree + 1];
        for (int n = 0; n <= degree; n++) {
          double norm = Math.sqrt((2 * n + 1) / length);
          p[n] = norm * table[0][n];
          dp[n] = norm * table[1][n] * 2 / length; // d/dθ = (2/L) d/ds
        }
        value1[i][q] = p;
        double[] axisPoint = new double[k];
        axisPoint[i] = theta1[i][q];
        double w = weight1[i][q] * weight.value(axisPoint); // w_q ω_i(θ_q)
        for (int a = 0; a <= degree; a++) {
          for (int b = 0; b <= degree; b++) {
            mass[i][a][b] += w * p[a] * p[b];
            stiffness[i][a][b] += w * dp[a] * dp[b];
          }
        }
      }
    }
    nodes = new double[nodeCount * k];
    weightedValues = new double[nodeCount * size];
    int[] q = new int[k];
    int[] alpha = new int[k];
    for (int node = 0; node < nodeCount; node++) {
      decode(node, points, q);
      double w = 1;
      for (int i = 0; i < k; i++) {
        nodes[node * k + i] = theta1[i][q[i]];
        w *= weight1[i][q[i]];
      }
      for (int c = 0; c < size; c++) {
        decode(c, degree + 1, alpha);
        double v = w;
        for (int i = 0; i < k; i++) {
          v *= value1[i][q[i]][alpha[i]];
        }
        weightedValues[node * size + c] = v;
      }
    }
  }

  /** (i_1, …, i_k) of flat index p in base {@code base}, last axis fastest. */
  private void decode(int p, int base, int[] index) {
    for (int i = k - 1; i >= 0; i--) {
      index[i] = p % base;
      p /= base;
    }
  }

  /** @return S = g Σ_i ⊗_j (j = i ? K_j : M_j) + l ⊗_j M_j as a dense, row-major size×size matrix */
  double[] sobolev(double g, double l) {
    double[] s = new double[size * size];
    int[] a = new int[k];
    int[] b = new int[k];
    for (int r = 0; r < size; r++) {
      decode(r, degree + 1, a);
      for (int c = 0; c < size; c++) {
        decode(c, degree + 1, b);
        double massProduct = 1;
        for (int j = 0; j < k; j++) {
          massProduct *= mass[j][a[j]][b[j]];
        }
        double gradient = 0;
        if (g != 0) {
          for (int i = 0; i < k; i++) {
            double term = stiffness[i][a[i]][b[i]];
            for (int j = 0; j < k && term != 0; j++) {
              if (j != i) {
                term *= mass[j][a[j]][b[j]];
              }
            }
            gradient += term;
          }
        }
        s[r * size + c] = g * gradient + l * massProduct;
      }
    }
    return s;
  }
}
