package org.example.pathnorm;

import java.util.Arrays;
import org.varflow.api.problem.ParticlePotential;
import org.varflow.api.tensor.Tensor;

/**
 * The particle potential V(a, w) = β √(a² + ε) √(|w|² + ε), whose integral over the parameter measure is the smoothed
 * path norm; on the particles, on the flow's backend: ∂_a V = β a √(|w|² + ε)/√(a² + ε), ∇_w V = β w √(a² + ε)/√(|w|² + ε).
 *
 * @param strength β
 * @param smoothing ε
 */
record PathNorm(double strength, double smoothing) implements ParticlePotential {
  @Override
  public String kind() {
    return "path-norm";
  }

  /** V_j = β s_a ⊙ s_w. */
  @Override
  public Tensor values(Tensor a, Tensor w) {
    Tensor[] s = roots(a, w);
    Tensor values = s[0].muli(s[1]).scalei(strength);
    s[1].release();
    return values;
  }

  /** v_a −= β a ⊙ s_w ⊘ s_a, v_w −= β diag(s_a ⊘ s_w) w. */
  @Override
  public void addVelocity(Tensor a, Tensor w, Tensor va, Tensor vw) {
    Tensor[] s = roots(a, w);
    Tensor ga = a.mul(s[1]).divi(s[0]);
    Tensor ratio = s[0].divi(s[1]);
    Tensor gw = w.mulColumnVector(ratio);
    va.axpyi(-strength, ga);
    vw.axpyi(-strength, gw);
    Tensor.releaseAll(ga, ratio, gw, s[1]);
  }

  /** @return s_a = √(a_j² + ε) and s_w = √(|w_j|² + ε), new tensors of length m */
  private Tensor[] roots(Tensor a, Tensor w) {
    Tensor a2 = a.mul(a);
    Tensor w2 = w.mul(w);
    Tensor rows = w2.rowSums();
    Tensor sa = plusSmoothing(a2).sqrt();
    Tensor sw = plusSmoothing(rows).sqrt();
    Tensor.releaseAll(a2, w2, rows);
    return new Tensor[] {sa, sw};
  }

  /** @return t + ε, in place */
  private Tensor plusSmoothing(Tensor t) {
    double[] eps = new double[t.rows()];
    Arrays.fill(eps, smoothing);
    Tensor e = t.factory().of(t.precision(), eps, t.rows());
    t.addi(e);
    e.release();
    return t;
  }
}
