package org.varflow.discretization.random.features;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.flow.LinearFlow;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.Loss;
import org.varflow.api.problem.RandomFeatureModel;
import org.varflow.api.problem.Tikhonov;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/**
 * The L²(π) flow of the random feature model on m frozen Monte Carlo features:
 *
 * <pre>
 *   f(x) = (1/m) Σ_j a_j σ(w_j·x)                 Φ_ij = σ(w_j·x_i), n×m, formed once
 *   E(a) = (1/2n) |Φa/m − y|² + (α/2m) |a|²
 *   v_a  = −m ∂E/∂a = −(1/n) Φᵀ(Φa/m − y) − α a = −(A a − b)
 *   A    = ΦᵀΦ/(nm) + α I,   b = Φᵀy/n
 * </pre>
 *
 * <p>{@code W} is part of the state (so it is saved with the run) but frozen: Φ is computed from it once,
 * and the velocity map holds {@code a} only.
 */
final class RandomFeatureFlow implements DiscreteFlow {
  private final RandomFeatureModel model;
  private final TensorFactory tensors;
  private final Precision precision;
  private final Tensor phi;
  private final Tensor y;
  private final int n;
  private final int m;
  private final double alpha;
  private final boolean reportTikhonov;
  private final Map<String, Tensor> state = new LinkedHashMap<>();
  private Tensor operator;
  private Tensor rhs;

  RandomFeatureFlow(VariationalProblem problem, RandomFeatureModel model, double alpha, Tensor a, Tensor w,
      TensorFactory tensors, Precision precision) {
    this.model = model;
    this.tensors = tensors;
    this.precision = precision;
    this.alpha = alpha;
    this.reportTikhonov = Features.hasTikhonov(problem);
    this.n = problem.train().n();
    this.m = a.rows();
    this.y = tensors.of(precision, problem.train().y(), n, 1);
    Tensor x = Features.inputs(problem.train(), model, tensors, precision);
    this.phi = Features.phi(x, w, model.activation());
    x.release();
    state.put("a", a);
    state.put("W", w);
  }

  @Override
  public Map<String, Tensor> state() {
    return state;
  }

  /** Releases Φ, y, A and b if formed, and a, W. */
  @Override
  public void close() {
    Tensor.releaseAll(phi, y, operator, rhs);
    DiscreteFlow.super.close();
  }

  @Override
  public Evaluation evaluate(boolean withVelocity) {
    Tensor a = state.get("a");
    Tensor r = phi.matmul(a, false, false, 1.0 / m).axpyi(-1.0, y); // r = Φa/m − y
    double risk = Loss.SQUARED.risk(r);
    Map<String, Double> parts = new LinkedHashMap<>();
    parts.put(Evaluation.RISK, risk);
    double energy = risk;
    if (reportTikhonov) {
      double tikhonov = alpha / (2.0 * m) * a.squaredNorm(); // (α/2m) Σ a_j²
      parts.put(Tikhonov.KIND, tikhonov);
      energy += tikhonov;
    }
    if (!withVelocity) {
      r.release();
      return new Evaluation(energy, parts, null);
    }
    Tensor va = phi.matmul(r, true, false, -1.0 / n).reshape(m); // −(1/n) Φᵀr
    r.release();
    if (alpha != 0) {
      va.axpyi(-alpha, a);
    }
    return new Evaluation(energy, parts, Map.of("a", va));
  }

  @Override
  public Optional<LinearFlow> linear() {
    return Optional.of(new Linear());
  }

  /** f = (1/m) σ(X Wᵀ) a, an n×1 column. */
  @Override
  public Tensor predictions(Dataset data) {
    Tensor x = Features.inputs(data, model, tensors, precision);
    Tensor s = Features.phi(x, state.get("W"), model.activation());
    Tensor f = s.matmul(state.get("a"), false, false, 1.0 / m);
    Tensor.releaseAll(x, s);
    return f;
  }

  /** A = ΦᵀΦ/(nm) + α I (m×m, one gemm, kept), A u = Φᵀ(Φu)/(nm) + αu, b = Φᵀy/n (kept). */
  private final class Linear implements LinearFlow {

    @Override
    public String unknown() {
      return "a";
    }

    @Override
    public Tensor operator() {
      if (operator == null) {
        operator = phi.matmul(phi, true, false, 1.0 / ((double) n * m)).addDiagonali(alpha);
      }
      return operator;
    }

    @Override
    public Tensor apply(Tensor u) {
      Tensor phiU = phi.matmul(u, false, false, 1.0);
      Tensor out = phi.matmul(phiU, true, false, 1.0 / ((double) n * m)).reshape(m);
      phiU.release();
      return alpha != 0 ? out.axpyi(alpha, u.reshape(m)) : out;
    }

    @Override
    public Tensor rhs() {
      if (rhs == null) {
        rhs = phi.matmul(y, true, false, 1.0 / n).reshape(m);
      }
      return rhs;
    }
  }
}
