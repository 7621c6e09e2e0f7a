package org.varflow.api.flow;

import java.util.Map;
import java.util.Optional;
import org.varflow.api.problem.Dataset;
import org.varflow.api.tensor.Tensor;

/**
 * A finite-dimensional gradient flow dθ/dt = −G⁻¹∇E(θ) obtained by discretizing a continuous problem.
 *
 * <p>The flow owns its state tensors; solvers move them in place (e.g. θ ← θ + h·v) and call
 * {@link #evaluate} again. The velocity carries the scaling of the continuous flow (for particles of a
 * mean-field model, −m∇_{θ_j}E), so the solver's time is the continuum time.
 */
public interface DiscreteFlow {

  /** @return the state tensors by name (e.g. {@code a}, {@code W}), live and in a stable order */
  Map<String, Tensor> state();

  /**
   * @param withVelocity whether to compute the velocity too
   * @return energy, its parts and (optionally) the velocity at the current state
   */
  Evaluation evaluate(boolean withVelocity);

  /**
   * @param data inputs (raw, without bias column)
   * @return the predictions f(x_i), length n
   */
  double[] predict(Dataset data);

  /** @return the risk of the current predictor on {@code data} (same loss as the problem) */
  double risk(Dataset data);

  /** @return the affine structure when the energy is quadratic in one state tensor, else empty */
  default Optional<LinearFlow> linear() {
    return Optional.empty();
  }
}
