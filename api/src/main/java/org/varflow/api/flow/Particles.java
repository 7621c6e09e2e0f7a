package org.varflow.api.flow;

import java.util.List;
import java.util.Optional;

/**
 * The particle structure of a flow whose state is a cloud ρ ≈ Σ_j μ_j δ_{θ_j}, j = 1..m: which state tensors
 * hold the positions θ_j and which, if any, the masses μ_j. A solver that acts on particles (Langevin noise on
 * the positions, a resampling step) finds them here instead of knowing a discretization's tensor names.
 */
public interface Particles {

  /** @return m, the number of particles */
  int count();

  /**
   * @return the names of the state tensors that hold the positions, in {@link DiscreteFlow#state()}: entry j of a
   *     rank-1 tensor, or row j of a matrix, belongs to particle j (e.g. {@code a} and {@code W}: θ_j = (a_j, w_j))
   */
  List<String> positions();

  /**
   * @return the name of the rank-1 state tensor of masses μ_j when they evolve (Wasserstein–Fisher–Rao, conic
   *     particles); empty when every particle has mass 1/m
   */
  default Optional<String> masses() {
    return Optional.empty();
  }
}
