package org.varflow.api.problem;

import org.varflow.api.tensor.Tensor;

/**
 * Weight decay (κ/2) ∫ |θ|² dρ over the parameter measure: the particle potential V(a, w) = (κ/2)(a² + |w|²), so
 * for m particles (κ/2m) Σ_j |θ_j|² with velocity −κθ_j.
 *
 * @param strength κ ≥ 0
 */
public record WeightDecay(double strength) implements ParticlePotential {
  /** The {@code regularizers[i].kind} of this regularizer. */
  public static final String KIND = "weight-decay";

  @Override
  public String kind() {
    return KIND;
  }

  /** V_j = (κ/2)(a_j² + |w_j|²). */
  @Override
  public Tensor values(Tensor a, Tensor w) {
    Tensor w2 = w.mul(w);
    Tensor a2 = a.mul(a);
    Tensor values = w2.rowSums().addi(a2).scalei(strength / 2);
    Tensor.releaseAll(w2, a2);
    return values;
  }

  /** v ← v − κθ. */
  @Override
  public void addVelocity(Tensor a, Tensor w, Tensor va, Tensor vw) {
    va.axpyi(-strength, a);
    vw.axpyi(-strength, w);
  }
}
