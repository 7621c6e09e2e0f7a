package org.varflow.api.flow;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.varflow.api.problem.Loss;
import org.varflow.api.tensor.Tensor;

/**
 * Base of discretizations whose energy is quadratic in L²-orthonormal coordinates v (metric I):
 *
 * <pre>
 *   E(v) = (1/2n) |P v − y|² + ½ vᵀ T v,    dv/dt = −(Pᵀ(P v − y)/n + T v) = −(A v − b),
 *   A = PᵀP/n + T,   b = Pᵀy/n
 * </pre>
 *
 * with a design matrix P (n × k) and a symmetric positive semi-definite regularizer T. A subclass
 * supplies P, y and T (as a product and as a dense matrix) and its predictions.
 */
public abstract class QuadraticFlow implements DiscreteFlow {
  private final String unknown;
  private final String regularizerPart;
  private final Tensor design;
  private final Tensor target;
  private final int n;
  private final int k;
  private final Map<String, Tensor> state = new LinkedHashMap<>();
  private Tensor operator;
  private Tensor rhs;

  /**
   * @param unknown name of the state tensor v
   * @param initial v at t = 0, rank 1 of length k
   * @param design P, n × k
   * @param target y, n × 1
   * @param regularizerPart name of ½vᵀTv among the energy parts, or null to leave it out (no regularizer)
   */
  protected QuadraticFlow(String unknown, Tensor initial, Tensor design, Tensor target, String regularizerPart) {
    this.unknown = unknown;
    this.regularizerPart = regularizerPart;
    this.design = design;
    this.target = target;
    this.n = design.rows();
    this.k = design.cols();
    state.put(unknown, initial);
  }

  /** @return T v, a fresh rank-1 tensor of length k */
  protected abstract Tensor applyRegularizer(Tensor v);

  /** @return T as a fresh dense k × k matrix (released after use) */
  protected abstract Tensor regularizerMatrix();

  @Override
  public final Map<String, Tensor> state() {
    return state;
  }

  @Override
  public final Evaluation evaluate(boolean withVelocity) {
    Tensor v = state.get(unknown);
    Tensor r = design.matmul(v, false, false, 1.0).axpyi(-1.0, target); // r = P v − y
    double risk = Loss.SQUARED.risk(r);
    Tensor tv = applyRegularizer(v);
    double regularization = 0.5 * v.dot(tv); // ½ vᵀ T v
    Map<String, Double> parts = new LinkedHashMap<>();
    parts.put(Evaluation.RISK, risk);
    if (regularizerPart != null) {
      parts.put(regularizerPart, regularization);
    }
    Map<String, Tensor> velocity = null;
    if (withVelocity) {
      velocity = Map.of(unknown, design.matmul(r, true, false, -1.0 / n).reshape(k).axpyi(-1.0, tv)); // −(Pᵀr/n + T v)
    }
    Tensor.releaseAll(r, tv);
    return new Evaluation(risk + regularization, parts, velocity);
  }

  /** Releases P, y, A and b if formed, and the state; a subclass that keeps more releases it too, then calls this. */
  @Override
  public void close() {
    Tensor.releaseAll(design, target, operator, rhs);
    DiscreteFlow.super.close();
  }

  @Override
  public final Optional<LinearFlow> linear() {
    return Optional.of(new Linear());
  }

  /** A = PᵀP/n + T (formed on first call, kept), A v = Pᵀ(P v)/n + T v, b = Pᵀy/n (kept). */
  private final class Linear implements LinearFlow {

    @Override
    public String unknown() {
      return unknown;
    }

    @Override
    public Tensor operator() {
      if (operator == null) {
        Tensor t = regularizerMatrix();
        operator = design.matmul(design, true, false, 1.0 / n).addi(t);
        t.release();
      }
      return operator;
    }

    @Override
    public Tensor apply(Tensor v) {
      Tensor pv = design.matmul(v, false, false, 1.0);
      Tensor out = design.matmul(pv, true, false, 1.0 / n).reshape(k);
      Tensor tv = applyRegularizer(v);
      out.addi(tv);
      Tensor.releaseAll(pv, tv);
      return out;
    }

    @Override
    public Tensor rhs() {
      if (rhs == null) {
        rhs = design.matmul(target, true, false, 1.0 / n).reshape(k);
      }
      return rhs;
    }
  }
}
