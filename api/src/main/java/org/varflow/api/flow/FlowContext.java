package org.varflow.api.flow;

import org.varflow.api.tensor.Backend;
import org.varflow.api.tensor.Precision;

/**
 * How a discretization computes: on which backend, in which precision, from which seed.
 *
 * @param backend an available backend
 * @param precision element precision of all state tensors
 * @param seed seed of every random draw made while discretizing
 */
public record FlowContext(Backend backend, Precision precision, long seed) {}
