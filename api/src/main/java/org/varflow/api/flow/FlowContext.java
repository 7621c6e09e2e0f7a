package org.varflow.api.flow;

import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.tensor.Backend;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;

/**
 * How a discretization computes: on which backend, in which precision, from which seed.
 *
 * @param backend an available backend
 * @param precision element precision of all state tensors
 * @param seed seed of every random draw made while discretizing
 */
public record FlowContext(Backend backend, Precision precision, long seed) {
  /** The {@code init} node that {@link #initialState} reads: {@code kind: zeros} or {@code kind: gaussian} with {@code scale}. */
  public static final OptionSchema INIT = OptionSchema.builder()
      .variant("kind", "zeros", "the zero state", OptionSchema.EMPTY, true)
      .variant("kind", "gaussian", "i.i.d. N(0, scale²) entries from the run's seed",
          OptionSchema.builder().number("scale", 1.0, "standard deviation").atLeast(0).build(), false)
      .build();

  /**
   * A rank-1 initial state from the {@code init} options: {@code kind: zeros} (default), or
   * {@code kind: gaussian} with {@code scale} (entries ~ N(0, scale²) drawn from {@link #seed}, default 1).
   *
   * @param init the {@code init} node, checked and completed by {@link #INIT}
   * @param size length of the state
   * @throws org.varflow.api.SpecException naming {@code init.kind} or {@code init.scale} when invalid
   */
  public Tensor initialState(Options init, int size) {
    return init.getString("kind").equals("zeros")
        ? backend.tensors().zeros(precision, size)
        : backend.tensors().normal(precision, seed, 0, init.getDouble("scale"), size);
  }
}
