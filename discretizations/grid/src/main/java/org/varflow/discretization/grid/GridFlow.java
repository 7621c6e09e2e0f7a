package org.varflow.discretization.grid;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.flow.LinearFlow;
import org.varflow.api.flow.NetworkSampler;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.Loss;
import org.varflow.api.problem.Sobolev;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/**
 * The L² gradient flow of the density model on a tensor grid, in the L²-orthonormal node coordinates
 * v = M^{1/2} u (M = diag(μ), see {@link Grid}):
 *
 * <pre>
 *   Ψ_iq = σ(w_q·x_i + b_q)   (one gemm (x, 1) Θᵀ),   P = Ψ M^{1/2}   (n×Q, formed once)
 *   f(x_i) ≈ Σ_q μ_q u_q Ψ_iq = (P v)_i
 *   J(v) = (1/2n) |P v − y|² + ½ vᵀ T v,   T = M^{−1/2} (G K_ω + L M_ω) M^{−1/2}
 *   dv/dt = −M^{−1/2} ∇_u J = −(A v − b),   A = PᵀP/n + T,   b = Pᵀy/n
 * </pre>
 *
 * <p>G = Σ α_j g_j and L = Σ α_j l_j over the Sobolev regularizers (α_j, g_j, l_j); the energy part
 * {@code sobolev} is ½ vᵀ T v = Σ_j (α_j/2) uᵀ (g_j K_ω + l_j M_ω) u.
 */
final class GridFlow implements DiscreteFlow {
  /** Name of the state tensor. */
  static final String STATE = "v";

  private final Grid grid;
  private final Activation activation;
  private final TensorFactory tensors;
  private final Precision precision;
  private final double gradientStrength;
  private final double l2Strength;
  private final boolean reportSobolev;
  private final Tensor theta;
  private final Tensor sqrtMu;
  private final Tensor inverseSqrtMu;
  private final Tensor p;
  private final Tensor y;
  private final int n;
  private final Map<String, Tensor> state = new LinkedHashMap<>();
  private Tensor operator;
  private Tensor rhs;

  GridFlow(Grid grid, Activation activation, Dataset train, double gradientStrength, double l2Strength,
      boolean reportSobolev, Tensor v, TensorFactory tensors, Precision precision) {
    this.grid = grid;
    this.activation = activation;
    this.tensors = tensors;
    this.precision = precision;
    this.gradientStrength = gradientStrength;
    this.l2Strength = l2Strength;
    this.reportSobolev = reportSobolev;
    this.theta = tensors.of(precision, grid.nodes, grid.size, grid.k);
    double[] root = new double[grid.size];
    for (int q = 0; q < grid.size; q++) {
      root[q] = Math.sqrt(grid.mu[q]);
    }
    this.sqrtMu = tensors.of(precision, root, grid.size);
    for (int q = 0; q < grid.size; q++) {
      root[q] = 1 / root[q];
    }
    this.inverseSqrtMu = tensors.of(precision, root, grid.size);
    this.n = train.n();
    this.y = tensors.of(precision, train.y(), n, 1);
    Tensor psi = features(train);
    this.p = psi.mulRowVector(sqrtMu);
    psi.release();
    state.put(STATE, v);
  }

  /** @return Ψ = σ((x, 1) Θᵀ), rows × Q */
  private Tensor features(Dataset data) {
    Tensor x = tensors.of(precision, data.inputsWithBias(), data.n(), data.d() + 1);
    Tensor z = x.matmul(theta, false, true, 1.0);
    Tensor psi = z.activate(activation);
    Tensor.releaseAll(x, z);
    return psi;
  }

  /** @return T v, a fresh rank-1 tensor */
  private Tensor regularizer(Tensor v) {
    return tensors.of(precision, grid.applyNormalized(v.toDoubleArray(), gradientStrength, l2Strength), grid.size);
  }

  @Override
  public Map<String, Tensor> state() {
    return state;
  }

  /** @return {@code u} = M^{−1/2} v, the node values u(θ_q) in C order (last axis fastest) */
  @Override
  public Map<String, Tensor> parameters() {
    return Map.of("u", state.get(STATE).mul(inverseSqrtMu));
  }

  @Override
  public Evaluation evaluate(boolean withVelocity) {
    Tensor v = state.get(STATE);
    Tensor r = p.matmul(v, false, false, 1.0).axpyi(-1.0, y); // r = P v − y
    double risk = Loss.SQUARED.risk(r);
    Tensor tv = regularizer(v);
    double sobolev = 0.5 * v.dot(tv); // ½ vᵀ T v
    Map<String, Double> parts = new LinkedHashMap<>();
    parts.put(Evaluation.RISK, risk);
    if (reportSobolev) {
      parts.put(Sobolev.KIND, sobolev);
    }
    if (!withVelocity) {
      Tensor.releaseAll(r, tv);
      return new Evaluation(risk + sobolev, parts, null);
    }
    Tensor velocity = p.matmul(r, true, false, -1.0 / n).reshape(grid.size).axpyi(-1.0, tv); // −(Pᵀr/n + T v)
    Tensor.releaseAll(r, tv);
    return new Evaluation(risk + sobolev, parts, Map.of(STATE, velocity));
  }

  /** f = Ψ_new M u = Ψ_new (M^{1/2} v), an n×1 column. */
  @Override
  public Tensor predictions(Dataset data) {
    Tensor psi = features(data);
    Tensor weighted = state.get(STATE).mul(sqrtMu);
    Tensor f = psi.matmul(weighted, false, false, 1.0);
    Tensor.releaseAll(psi, weighted);
    return f;
  }

  /** Draws nodes q with probability μ_q|u_q|/Z, Z = Σ μ_q|u_q| (the quadrature of ∫|u|), and a_j = Z·sign u_q. */
  @Override
  public Optional<NetworkSampler> networkSampler() {
    return Optional.of((width, seed) -> {
      double[] u = parameters().get("u").toDoubleArray();
      double[] cumulative = new double[u.length];
      double z = 0;
      for (int q = 0; q < u.length; q++) {
        z += grid.mu[q] * Math.abs(u[q]);
        cumulative[q] = z;
      }
      SplittableRandom rng = new SplittableRandom(seed);
      double[] a = new double[width];
      double[] w = new double[width * grid.k];
      for (int j = 0; j < width; j++) {
        int q = Math.min(u.length - 1, Math.abs(Arrays.binarySearch(cumulative, rng.nextDouble() * z) + 1));
        a[j] = z * Math.signum(u[q]);
        System.arraycopy(grid.nodes, q * grid.k, w, j * grid.k, grid.k);
      }
      Map<String, Tensor> network = new LinkedHashMap<>();
      network.put("a", tensors.of(precision, a, width));
      network.put("W", tensors.of(precision, w, width, grid.k));
      return network;
    });
  }

  @Override
  public Optional<LinearFlow> linear() {
    return Optional.of(new Linear());
  }

  /** A = PᵀP/n + T (Q×Q, one gemm plus the dense T, kept), A v = Pᵀ(P v)/n + T v, b = Pᵀy/n (kept). */
  private final class Linear implements LinearFlow {

    @Override
    public String unknown() {
      return STATE;
    }

    @Override
    public Tensor operator() {
      if (operator == null) {
        Tensor t = tensors.of(precision, grid.denseNormalized(gradientStrength, l2Strength), grid.size, grid.size);
        operator = p.matmul(p, true, false, 1.0 / n).addi(t);
        t.release();
      }
      return operator;
    }

    @Override
    public Tensor apply(Tensor v) {
      Tensor pv = p.matmul(v, false, false, 1.0);
      Tensor out = p.matmul(pv, true, false, 1.0 / n).reshape(grid.size);
      Tensor tv = regularizer(v);
      out.addi(tv);
      Tensor.releaseAll(pv, tv);
      return out;
    }

    @Override
    public Tensor rhs() {
      if (rhs == null) {
        rhs = p.matmul(y, true, false, 1.0 / n).reshape(grid.size);
      }
      return rhs;
    }
  }
}
