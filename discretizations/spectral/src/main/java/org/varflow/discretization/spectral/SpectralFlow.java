package org.varflow.discretization.spectral;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.flow.LinearFlow;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.Loss;
import org.varflow.api.problem.Sobolev;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/**
 * The L² gradient flow of the density model in the orthonormal Legendre coefficients c (see
 * {@link Basis}); since the basis is L²-orthonormal the metric is the identity:
 *
 * <pre>
 *   Φ_iq = σ(θ_q·(x_i, 1))   (one gemm + activate),   Ψ = Φ (W B)   (n × (P+1)^k, formed once)
 *   f(x_i) = Σ_α c_α ∫ P_α σ(w·x_i + b) dθ ≈ (Ψ c)_i
 *   J(c) = (1/2n) |Ψ c − y|² + ½ cᵀ S c,   S = G K + L M   (Kronecker Gram matrix, dense)
 *   dc/dt = −∇J = −(A c − b),   A = ΨᵀΨ/n + S,   b = Ψᵀy/n
 * </pre>
 *
 * <p>G = Σ α_j g_j and L = Σ α_j l_j over the Sobolev regularizers; the energy part {@code sobolev} is
 * ½ cᵀ S c = Σ_j (α_j/2) ∫(g_j |∇u|² + l_j u²) ω (by Gauss quadrature).
 */
final class SpectralFlow implements DiscreteFlow {
  /** Name of the state tensor. */
  static final String STATE = "c";

  private final Basis basis;
  private final Activation activation;
  private final TensorFactory tensors;
  private final Precision precision;
  private final boolean reportSobolev;
  private final Tensor theta;
  private final Tensor weightedValues;
  private final Tensor psi;
  private final Tensor sobolev;
  private final Tensor y;
  private final int n;
  private final Map<String, Tensor> state = new LinkedHashMap<>();
  private Tensor operator;
  private Tensor rhs;

  SpectralFlow(Basis basis, Activation activation, Dataset train, double gradientStrength, double l2Strength,
      boolean reportSobolev, Tensor c, TensorFactory tensors, Precision precision) {
    this.basis = basis;
    this.activation = activation;
    this.tensors = tensors;
    this.precision = precision;
    this.reportSobolev = reportSobolev;
    this.theta = tensors.of(precision, basis.nodes, basis.nodeCount, basis.k);
    this.weightedValues = tensors.of(precision, basis.weightedValues, basis.nodeCount, basis.size);
    this.sobolev = tensors.of(precision, basis.sobolev(gradientStrength, l2Strength), basis.size, basis.size);
    this.n = train.n();
    this.y = tensors.of(precision, train.y(), n, 1);
    Tensor phi = features(train);
    this.psi = phi.matmul(weightedValues, false, false, 1.0);
    phi.release();
    state.put(STATE, c);
  }

  /** @return Φ = σ((x, 1) Θᵀ), rows × Q^k */
  private Tensor features(Dataset data) {
    Tensor x = tensors.of(precision, data.inputsWithBias(), data.n(), data.d() + 1);
    Tensor z = x.matmul(theta, false, true, 1.0);
    Tensor phi = z.activate(activation);
    Tensor.releaseAll(x, z);
    return phi;
  }

  /** @return S c, a fresh rank-1 tensor */
  private Tensor regularizer(Tensor c) {
    return sobolev.matmul(c, false, false, 1.0).reshape(basis.size);
  }

  @Override
  public Map<String, Tensor> state() {
    return state;
  }

  /** @return {@code u}: a copy of the coefficients c_α, α in C order (last axis fastest) */
  @Override
  public Map<String, Tensor> parameters() {
    return Map.of("u", state.get(STATE).copy());
  }

  @Override
  public Evaluation evaluate(boolean withVelocity) {
    Tensor c = state.get(STATE);
    Tensor r = psi.matmul(c, false, false, 1.0).axpyi(-1.0, y); // r = Ψ c − y
    double risk = Loss.SQUARED.risk(r);
    Tensor sc = regularizer(c);
    double energy = 0.5 * c.dot(sc); // ½ cᵀ S c
    Map<String, Double> parts = new LinkedHashMap<>();
    parts.put(Evaluation.RISK, risk);
    if (reportSobolev) {
      parts.put(Sobolev.KIND, energy);
    }
    if (!withVelocity) {
      Tensor.releaseAll(r, sc);
      return new Evaluation(risk + energy, parts, null);
    }
    Tensor velocity = psi.matmul(r, true, false, -1.0 / n).reshape(basis.size).axpyi(-1.0, sc); // −(Ψᵀr/n + S c)
    Tensor.releaseAll(r, sc);
    return new Evaluation(risk + energy, parts, Map.of(STATE, velocity));
  }

  /** f = Ψ_new c = Φ_new ((W B) c), an n×1 column. */
  @Override
  public Tensor predictions(Dataset data) {
    Tensor phi = features(data);
    Tensor u = weightedValues.matmul(state.get(STATE), false, false, 1.0); // w_q u(θ_q)
    Tensor f = phi.matmul(u, false, false, 1.0);
    Tensor.releaseAll(phi, u);
    return f;
  }

  @Override
  public Optional<LinearFlow> linear() {
    return Optional.of(new Linear());
  }

  /** A = ΨᵀΨ/n + S (formed on first call, kept), A c = Ψᵀ(Ψ c)/n + S c, b = Ψᵀy/n (kept). */
  private final class Linear implements LinearFlow {

    @Override
    public String unknown() {
      return STATE;
    }

    @Override
    public Tensor operator() {
      if (operator == null) {
        operator = psi.matmul(psi, true, false, 1.0 / n).addi(sobolev);
      }
      return operator;
    }

    @Override
    public Tensor apply(Tensor c) {
      Tensor psiC = psi.matmul(c, false, false, 1.0);
      Tensor out = psi.matmul(psiC, true, false, 1.0 / n).reshape(basis.size);
      Tensor sc = regularizer(c);
      out.addi(sc);
      Tensor.releaseAll(psiC, sc);
      return out;
    }

    @Override
    public Tensor rhs() {
      if (rhs == null) {
        rhs = psi.matmul(y, true, false, 1.0 / n).reshape(basis.size);
      }
      return rhs;
    }
  }
}
