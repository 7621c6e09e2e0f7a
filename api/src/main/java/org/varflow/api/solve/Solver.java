package org.varflow.api.solve;

import org.varflow.api.Options;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.plugin.Plugin;

/**
 * Integrates a {@link DiscreteFlow} in time (or solves its stationary equation), reporting to an
 * {@link Observer}. Provide one with {@code provides org.varflow.api.solve.Solver with ...}.
 */
public interface Solver extends Plugin {

  /**
   * @param flow the flow, moved in place
   * @param options the {@code solver} node of the spec (defaults are written back into it)
   * @param observer receives recorded steps and may stop the run
   * @return how far the solve went
   * @throws org.varflow.api.SpecException for bad options, naming the key
   * @throws DivergenceException when the energy or state stops being finite
   */
  SolveResult solve(DiscreteFlow flow, Options options, Observer observer);
}
