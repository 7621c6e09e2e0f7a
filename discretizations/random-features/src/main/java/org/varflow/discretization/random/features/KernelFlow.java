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
 * The infinite-width random feature flow in representer coordinates (see {@link KernelDiscretization}):
 *
 * <pre>
 *   f(x) = Σ_i c_i k(x, x_i)             K = k(X, X), n×n, formed once
 *   E(c) = (1/2n) |Kc − y|² + (α/2) cᵀKc
 *   v_c  = −(1/n)(Kc − y) − α c = −(A c − b),   A = K/n + α I,   b = y/n
 * </pre>
 */
final class KernelFlow implements DiscreteFlow {
  private final RandomFeatureModel model;
  private final FeatureKernel kernel;
  private final TensorFactory tensors;
  private final Precision precision;
  private final Tensor x;
  private final Tensor k;
  private final Tensor y;
  private final int n;
  private final double alpha;
  private final boolean reportTikhonov;
  private final Map<String, Tensor> state = new LinkedHashMap<>();
  private Tensor operator;
  private Tensor rhs;

  KernelFlow(VariationalProblem problem, RandomFeatureModel model, double alpha, FeatureKernel kernel,
      TensorFactory tensors, Precision precision) {
    this.model = model;
    this.kernel = kernel;
    this.tensors = tensors;
    this.precision = precision;
    this.alpha = alpha;
    this.reportTikhonov = Features.hasTikhonov(problem);
    this.n = problem.train().n();
    this.x = Features.inputs(problem.train(), model, tensors, precision);
    this.k = kernel.matrix(x, x);
    this.y = tensors.of(precision, problem.train().y(), n, 1);
    state.put("c", tensors.zeros(precision, n));
  }

  @Override
  public Map<String, Tensor> state() {
    return state;
  }

  /** Releases X, K, y, A and b if formed, the kernel's samples, and c. */
  @Override
  public void close() {
    Tensor.releaseAll(x, k, y, operator, rhs);
    kernel.release();
    DiscreteFlow.super.close();
  }

  @Override
  public Evaluation evaluate(boolean withVelocity) {
    Tensor c = state.get("c");
    Tensor kc = k.matmul(c, false, false, 1.0).reshape(n);
    Tensor r = kc.copy().reshape(n, 1).axpyi(-1.0, y); // r = Kc − y
    double risk = Loss.SQUARED.risk(r);
    Map<String, Double> parts = new LinkedHashMap<>();
    parts.put(Evaluation.RISK, risk);
    double energy = risk;
    if (reportTikhonov) {
      double tikhonov = 0.5 * alpha * c.dot(kc); // (α/2) cᵀKc
      parts.put(Tikhonov.KIND, tikhonov);
      energy += tikhonov;
    }
    kc.release();
    if (!withVelocity) {
      r.release();
      return new Evaluation(energy, parts, null);
    }
    Tensor vc = r.scalei(-1.0 / n).reshape(n); // −(1/n)(Kc − y)
    if (alpha != 0) {
      vc.axpyi(-alpha, c);
    }
    return new Evaluation(energy, parts, Map.of("c", vc));
  }

  @Override
  public Optional<LinearFlow> linear() {
    return Optional.of(new Linear());
  }

  /** @return how k is evaluated, e.g. "Monte Carlo estimate of k with 20000 samples" */
  @Override
  public String toString() {
    return KernelDiscretization.ID + " flow, n = " + n + ", k: " + kernel.describe();
  }

  /** f = k(X_new, X) c, an n×1 column. */
  @Override
  public Tensor predictions(Dataset data) {
    Tensor xNew = Features.inputs(data, model, tensors, precision);
    Tensor cross = kernel.matrix(xNew, x);
    Tensor f = cross.matmul(state.get("c"), false, false, 1.0);
    Tensor.releaseAll(xNew, cross);
    return f;
  }

  /** A = K/n + α I (kept), A u = K u/n + α u, b = y/n (kept). */
  private final class Linear implements LinearFlow {

    @Override
    public String unknown() {
      return "c";
    }

    @Override
    public Tensor operator() {
      if (operator == null) {
        operator = k.scale(1.0 / n).addDiagonali(alpha);
      }
      return operator;
    }

    @Override
    public Tensor apply(Tensor u) {
      Tensor out = k.matmul(u, false, false, 1.0 / n).reshape(n);
      return alpha != 0 ? out.axpyi(alpha, u.reshape(n)) : out;
    }

    @Override
    public Tensor rhs() {
      if (rhs == null) {
        rhs = y.scale(1.0 / n).reshape(n);
      }
      return rhs;
    }
  }
}
