package org.varflow.api.flow;

import java.util.Map;
import org.varflow.api.tensor.Tensor;

/**
 * Samples a finite two-layer network back from a signed parameter density u: θ_j = (w_j, b_j) drawn
 * i.i.d. from |u|/Z with Z = ∫|u| dθ, and outer weights a_j = Z·sign u(θ_j), so that
 * f_N(x) = (1/N) Σ_j a_j σ(w_j·x + b_j) is an unbiased Monte Carlo estimate of f(x; u) with variance O(1/N).
 */
public interface NetworkSampler {

  /**
   * @param width N
   * @param seed seed of the draws
   * @return {@code a} (N) and {@code W} (N, d + 1; bias last): the layout of the particles discretization
   *     with {@code model.bias: true}
   */
  Map<String, Tensor> sample(int width, long seed);
}
