package org.varflow.discretization.flow;

import java.util.List;
import java.util.Locale;
import org.varflow.api.tensor.Tensor;

/**
 * The scheme in depth τ that takes z_l to z_{l+1} through layer l (h = 1/L), and its discrete adjoint: given the
 * cotangent p of z_{l+1}, the cotangent of z_l and the velocity of the layer's parameters.
 */
enum DepthScheme {
  /** Forward Euler, the ResNet: z_{l+1} = z_l + h F_l(z_l); first order in h. */
  EULER {
    @Override
    Tensor step(Layer layer, Tensor z, List<Tensor> stages) {
      return layer.increment(z).addi(z);
    }

    /** p_l = p + (h ∂F_l/∂z(z_l))ᵀ p; the parameters see the cotangent p. */
    @Override
    Layer.Pullback adjoint(Layer layer, Tensor z, Tensor stage, Tensor p, boolean withW) {
      Layer.Pullback back = layer.pullback(z, p, withW);
      back.state().addi(p);
      return back;
    }
  },
  /**
   * Heun (explicit trapezoid): ẑ = z_l + h F_l(z_l), z_{l+1} = z_l + (h/2)(F_l(z_l) + F_l(ẑ)); second order in h when
   * the layer's parameters sample a smooth path at the layer's midpoint.
   */
  HEUN {
    @Override
    Tensor step(Layer layer, Tensor z, List<Tensor> stages) {
      Tensor k1 = layer.increment(z);
      Tensor predicted = k1.add(z);
      Tensor k2 = layer.increment(predicted);
      Tensor next = k1.addi(k2).scalei(0.5).addi(z);
      k2.release();
      if (stages != null) {
        stages.add(predicted);
      } else {
        predicted.release();
      }
      return next;
    }

    /**
     * With q = p/2: p̂ = (h ∂F_l/∂z(ẑ))ᵀ q (through the second stage), then the first stage's cotangent q + p̂, so
     * p_l = p + p̂ + (h ∂F_l/∂z(z_l))ᵀ (q + p̂); the parameters see q at ẑ and q + p̂ at z_l.
     */
    @Override
    Layer.Pullback adjoint(Layer layer, Tensor z, Tensor stage, Tensor p, boolean withW) {
      Tensor q = p.scale(0.5);
      Layer.Pullback second = layer.pullback(stage, q, withW); // its state part is p̂
      Layer.Pullback first = layer.pullback(z, q.addi(second.state()), withW);
      q.release();
      first.state().addi(p);
      return first.addi(second); // p_l = p + (…)ᵀ(q + p̂) + p̂; the parameter parts of both stages
    }
  };

  /**
   * @param z z_l, n×D (read only)
   * @param stages receives the intermediate stage (ẑ for Heun) when not null, else it is released
   * @return z_{l+1}, a new n×D tensor
   */
  abstract Tensor step(Layer layer, Tensor z, List<Tensor> stages);

  /**
   * @param z z_l (read only)
   * @param stage the stage {@link #step} kept for layer l, or null for Euler
   * @param p the cotangent of z_{l+1}, ∂R/∂z_{l+1} (read only)
   * @param withW whether the inner weights move
   * @return the cotangent p_l of z_l and the velocity −(LM)∂R/∂θ_l of the layer's parameters, new tensors
   */
  abstract Layer.Pullback adjoint(Layer layer, Tensor z, Tensor stage, Tensor p, boolean withW);

  /** @return the scheme of the spec spelling {@code euler} or {@code heun} */
  static DepthScheme parse(String id) {
    return valueOf(id.toUpperCase(Locale.ROOT));
  }

  /** @return the spec spelling */
  String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
