package org.varflow.api.flow;

import org.varflow.api.tensor.Tensor;

/**
 * The affine structure of a flow whose energy is quadratic in one state tensor u (rank 1, length k):
 * du/dt = −(A u − b) with A symmetric positive semi-definite, so that E(u) = ½ uᵀA u − bᵀu + const in
 * the flow's metric. Stationary solvers solve A u = b; implicit Euler solves (I + hA) u⁺ = u + h b.
 */
public interface LinearFlow {

  /** @return the name of the state tensor u in {@link DiscreteFlow#state()} */
  String unknown();

  /** @return A as a dense k×k matrix, formed on first call and kept: callers must not modify or release it */
  Tensor operator();

  /** @return A·u for a rank-1 u of length k, a new tensor owned by the caller, without forming A where that is cheaper */
  Tensor apply(Tensor u);

  /** @return b, rank 1 of length k, formed on first call and kept: callers must not modify or release it */
  Tensor rhs();
}
