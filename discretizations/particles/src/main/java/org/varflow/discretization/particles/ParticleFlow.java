package org.varflow.discretization.particles;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.Loss;
import org.varflow.api.problem.ParticlePotential;
import org.varflow.api.problem.TwoLayerModel;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/**
 * The particle ODE of the mean-field two-layer network with squared loss and particle potentials V_k (weight
 * decay V = (κ/2)|θ|², or any {@link ParticlePotential}):
 *
 * <pre>
 *   f(x)  = (1/m) Σ_j a_j σ(w_j·x)
 *   E     = (1/2n) Σ_i (f(x_i) − y_i)² + Σ_k (1/m) Σ_j V_k(a_j, w_j)
 *   v_a   = −m ∂E/∂a = −(1/n) Sᵀr − Σ_k ∂_a V_k                 S = σ(X Wᵀ), r = f − y
 *   v_W   = −m ∂E/∂W = −(1/n) diag(a) σ'(X Wᵀ)ᵀ diag(r) X − Σ_k ∇_w V_k
 * </pre>
 */
final class ParticleFlow implements DiscreteFlow {
  private final TwoLayerModel model;
  private final TensorFactory tensors;
  private final Precision precision;
  private final Tensor x;
  private final Tensor y;
  private final int n;
  private final int m;
  private final List<ParticlePotential> potentials;
  private final Map<String, Tensor> state = new LinkedHashMap<>();

  ParticleFlow(VariationalProblem problem, TwoLayerModel model, Tensor a, Tensor w, TensorFactory tensors, Precision precision) {
    this.model = model;
    this.tensors = tensors;
    this.precision = precision;
    this.x = inputs(problem.train());
    this.n = problem.train().n();
    this.y = tensors.of(precision, problem.train().y(), n, 1);
    this.m = a.rows();
    this.potentials = problem.regularizers().stream().map(ParticlePotential.class::cast).toList();
    state.put("a", a);
    state.put("W", w);
  }

  @Override
  public Map<String, Tensor> state() {
    return state;
  }

  /** Releases X, y and the particles. */
  @Override
  public void close() {
    Tensor.releaseAll(x, y);
    DiscreteFlow.super.close();
  }

  @Override
  public Evaluation evaluate(boolean withVelocity) {
    Tensor a = state.get("a");
    Tensor w = state.get("W");
    Activation sigma = model.activation();
    Tensor z = x.matmul(w, false, true, 1.0);
    Tensor s = z.activate(sigma);
    Tensor r = s.matmul(a, false, false, 1.0 / m).axpyi(-1.0, y);
    double risk = Loss.SQUARED.risk(r);
    Map<String, Double> parts = new LinkedHashMap<>();
    parts.put(Evaluation.RISK, risk);
    double energy = risk;
    for (ParticlePotential potential : potentials) {
      double part = potential.sum(a, w) / m; // (1/m) Σ_j V(a_j, w_j)
      parts.merge(potential.kind(), part, Double::sum);
      energy += part;
    }
    if (!withVelocity) {
      Tensor.releaseAll(z, s, r);
      return new Evaluation(energy, parts, null);
    }
    Tensor va = s.matmul(r, true, false, -1.0 / n).reshape(m);
    Tensor sPrime = z.activateDerivative(sigma);
    Tensor.releaseAll(z, s);
    Tensor xr = x.mulColumnVector(r);
    Tensor g = sPrime.matmul(xr, true, false, -1.0 / n);
    Tensor vw = g.mulColumnVector(a);
    Tensor.releaseAll(sPrime, xr, g, r);
    for (ParticlePotential potential : potentials) {
      potential.addVelocity(a, w, va, vw);
    }
    Map<String, Tensor> velocity = new LinkedHashMap<>();
    velocity.put("a", va);
    velocity.put("W", vw);
    return new Evaluation(energy, parts, velocity);
  }

  /** f = (1/m) σ(X Wᵀ) a, an n×1 column. */
  @Override
  public Tensor predictions(Dataset data) {
    Tensor xData = inputs(data);
    Tensor z = xData.matmul(state.get("W"), false, true, 1.0);
    Tensor s = z.activate(model.activation());
    Tensor f = s.matmul(state.get("a"), false, false, 1.0 / m);
    Tensor.releaseAll(xData, z, s);
    return f;
  }



  /** X, with the bias column (x, 1) when the model has a bias. */
  private Tensor inputs(Dataset data) {
    return model.bias()
        ? tensors.of(precision, data.inputsWithBias(), data.n(), data.d() + 1)
        : tensors.of(precision, data.x(), data.n(), data.d());
  }
}
