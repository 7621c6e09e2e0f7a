package org.varflow.model.flow;

import java.util.Locale;
import org.varflow.api.problem.Model;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/**
 * The flow model, a continuous-depth ResNet: the input is embedded as z(0) = Vx ∈ R^D, flows in depth τ ∈ [0, 1] by
 * dz/dτ = E_{(a,w)∼ρ_τ}[a σ(w·z)] with a, w ∈ R^D, and is read out as f(x) = 1ᵀz(1). The parameter is the family of
 * measures ρ_τ; forward Euler in τ with L layers of M particles gives the 1/(LM)-scaled ResNet.
 *
 * @param activation σ
 * @param dim D, the dimension of the flow's state z
 * @param embedding how V is formed
 */
public record FlowModel(Activation activation, int dim, Embedding embedding) implements Model {
  /** The {@code model.kind} of this model. */
  public static final String KIND = "flow";

  /** The embedding z(0) = Vx of the inputs x ∈ R^d into R^D. */
  public enum Embedding {
    /** V = [I_d; 0]: x padded with zeros, which needs D ≥ d. */
    IDENTITY,
    /** V_{ki} ~ N(0, 1/D), drawn once from the run's seed, so that E|Vx|² = |x|². */
    RANDOM;

    /** @return the spec spelling, {@code identity} or {@code random} */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Checks D ≥ 1. */
  public FlowModel {
    if (dim < 1) {
      throw new IllegalArgumentException("the flow's dimension D must be at least 1, got " + dim);
    }
  }

  @Override
  public String kind() {
    return KIND;
  }

  /**
   * @param d the input dimension
   * @param seed the seed of the random embedding (unused by the identity)
   * @return V, a new D×d tensor owned by the caller
   * @throws IllegalArgumentException for the identity embedding when D &lt; d
   */
  public Tensor embedding(int d, TensorFactory tensors, Precision precision, long seed) {
    if (embedding == Embedding.RANDOM) {
      return tensors.normal(precision, seed, 0, 1 / Math.sqrt(dim), dim, d);
    }
    if (dim < d) {
      throw new IllegalArgumentException("the identity embedding pads x ∈ R^" + d + " with zeros: it needs D ≥ " + d
          + ", got D = " + dim);
    }
    double[] v = new double[dim * d];
    for (int k = 0; k < d; k++) {
      v[k * d + k] = 1; // V_kk = 1 for k < d
    }
    return tensors.of(precision, v, dim, d);
  }
}
