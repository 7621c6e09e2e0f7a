package org.varflow.discretization.spectral;

import java.util.Arrays;
import org.varflow.api.problem.DensityWeight;
import org.varflow.api.problem.ParameterDomain;

/**
 * The orthonormal tensor basis of L²(Ω) on the parameter domain Ω, its tensor quadrature and its weighted
 * Sobolev Gram matrix, all on the JVM. Each coordinate axis is an {@link Axis}: Legendre on a bounded
 * interval, Fourier on the angle of a circle domain (so a box gets tensor Legendre, S¹_r × [b₀, b₁]
 * Fourier ⊗ Legendre):
 *
 * <pre>
 *   P_α(t) = Π_i b^i_{α_i}(t_i),  α ↔ Σ_i α_i Π_{j&gt;i} n_j  (C order, last axis fastest; n_i functions on axis i)
 *   t_q = (t^i_{q_i})_i,  θ_q = θ(t_q),  w_q = Π_i w^i_{q_i}   (Q points per axis)
 *   B_qα = P_α(t_q)
 *   S = g Σ_i ⊗_j (j = i ? K_j : M_j) + l ⊗_j M_j,
 *   M_j[a][b] = Σ_q w_q ω_j(t_q) b_a b_b ≈ ∫ b_a b_b ω_j,   K_j[a][b] = Σ_q w_q ω_j(t_q) b_a' b_b' ≈ ∫ b_a' b_b' ω_j
 * </pre>
 *
 * <p>with ' the arc-length derivative, so Σ_i b'… is the tangential gradient of Ω. The weights are products
 * ω(θ) = Π_j ω_j(t_j) with ω_j(t) = ω(θ at {@link ParameterDomain#axisPoint}) (uniform: 1; Gaussian:
 * exp(−|θ|²/(2s²)) factors), so the tensor quadrature of S_αβ = ∫(g ∇P_α·∇P_β + l P_α P_β) ω factors into
 * the Kronecker sums above. For uniform ω, M_j = I exactly, so the l-part is l·I. No constraint at ∂Ω:
 * the boundary condition is the natural one.
 */
final class Basis {
  final int k;
  /** Components of θ (3 on a circle, else k). */
  final int parameterDimension;
  /** Π_i n_i, the number of coefficients. */
  final int size;
  /** Q^k, the number of quadrature nodes. */
  final int nodeCount;
  /** θ_q, row-major nodeCount × parameterDimension. */
  final double[] nodes;
  /** w_q. */
  final double[] weights;
  /** w_q B_qα, row-major nodeCount × size. */
  final double[] weightedValues;
  private final Axis[] axes;
  private final int[] sizes;
  /** Per axis: the 1-D matrices M_j, K_j. */
  private final double[][][] mass;
  private final double[][][] stiffness;

  Basis(ParameterDomain domain, DensityWeight weight, int degree, int points) {
    this.k = domain.dimension();
    this.parameterDimension = domain.parameterDimension();
    double[] lo = domain.lower();
    double[] hi = domain.upper();
    axes = new Axis[k];
    sizes = new int[k];
    mass = new double[k][][];
    stiffness = new double[k][][];
    int basisSize = 1;
    int nodeTotal = 1;
    double[][][][] table = new double[k][points][][];
    for (int i = 0; i < k; i++) {
      Axis axis = domain.periodic(i)
          ? Axis.fourier(domain.radius(), degree, points)
          : Axis.legendre(lo[i], hi[i], degree, points);
      axes[i] = axis;
      sizes[i] = axis.size;
      basisSize = Math.multiplyExact(basisSize, axis.size);
      nodeTotal = Math.multiplyExact(nodeTotal, points);
      mass[i] = new double[axis.size][axis.size];
      stiffness[i] = new double[axis.size][axis.size];
      for (int q = 0; q < points; q++) {
        table[i][q] = axis.evaluate(axis.nodes[q]);
        double[] p = table[i][q][0];
        double[] dp = table[i][q][1];
        double w = axis.weights[q] * weight.value(domain.axisPoint(i, axis.nodes[q])); // w_q ω_i(t_q)
        for (int a = 0; a < axis.size; a++) {
          for (int b = 0; b < axis.size; b++) {
            mass[i][a][b] += w * p[a] * p[b];
            stiffness[i][a][b] += w * dp[a] * dp[b];
          }
        }
      }
    }
    this.size = basisSize;
    this.nodeCount = nodeTotal;
    int[] pointCounts = new int[k];
    Arrays.fill(pointCounts, points);
    nodes = new double[nodeCount * parameterDimension];
    weights = new double[nodeCount];
    weightedValues = new double[nodeCount * size];
    int[] q = new int[k];
    int[] alpha = new int[k];
    double[] t = new double[k];
    for (int node = 0; node < nodeCount; node++) {
      decode(node, pointCounts, q);
      double w = 1;
      for (int i = 0; i < k; i++) {
        t[i] = axes[i].nodes[q[i]];
        w *= axes[i].weights[q[i]];
      }
      System.arraycopy(domain.parameters(t), 0, nodes, node * parameterDimension, parameterDimension);
      weights[node] = w;
      for (int c = 0; c < size; c++) {
        decode(c, sizes, alpha);
        double v = w;
        for (int i = 0; i < k; i++) {
          v *= table[i][q[i]][0][alpha[i]];
        }
        weightedValues[node * size + c] = v;
      }
    }
  }

  /** (i_1, …, i_k) of flat index p in the mixed radix {@code base}, last axis fastest. */
  private void decode(int p, int[] base, int[] index) {
    for (int i = k - 1; i >= 0; i--) {
      index[i] = p % base[i];
      p /= base[i];
    }
  }

  /** @return S = g Σ_i ⊗_j (j = i ? K_j : M_j) + l ⊗_j M_j as a dense, row-major size×size matrix */
  double[] sobolev(double g, double l) {
    double[] s = new double[size * size];
    int[] a = new int[k];
    int[] b = new int[k];
    for (int r = 0; r < size; r++) {
      decode(r, sizes, a);
      for (int c = 0; c < size; c++) {
        decode(c, sizes, b);
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

  /**
   * @param coefficients c_α
   * @param coordinates points t_p, row-major count × k
   * @return u(t_p) = Σ_α c_α P_α(t_p)
   */
  double[] evaluate(double[] coefficients, double[] coordinates) {
    int count = coordinates.length / k;
    double[] out = new double[count];
    double[][] values = new double[k][];
    int[] alpha = new int[k];
    for (int p = 0; p < count; p++) {
      for (int i = 0; i < k; i++) {
        values[i] = axes[i].evaluate(coordinates[p * k + i])[0];
      }
      double sum = 0;
      for (int c = 0; c < size; c++) {
        decode(c, sizes, alpha);
        double v = coefficients[c];
        for (int i = 0; i < k; i++) {
          v *= values[i][alpha[i]];
        }
        sum += v;
      }
      out[p] = sum;
    }
    return out;
  }
}
