package org.varflow.api.flow;

import java.util.Map;
import java.util.Optional;
import org.varflow.api.Options;
import org.varflow.api.plugin.Plugin;
import org.varflow.api.plugin.Refusal;
import org.varflow.api.problem.VariationalProblem;

/**
 * Turns a continuous {@link VariationalProblem} into a finite-dimensional gradient flow
 * ({@link DiscreteFlow}) — and in doing so recovers a concrete model (particles of the mean-field
 * two-layer network give the 1/m-scaled two-layer network, and so on).
 *
 * <p>Provide one with {@code provides org.varflow.api.flow.Discretization with ...} in the plugin's
 * {@code module-info.java} and a {@code META-INF/services} entry. The constructor must be cheap.
 */
public interface Discretization extends Plugin {

  /**
   * @param problem the whole continuous problem: its model and every regularizer
   * @return why this discretization does not compute the problem, naming the spec key at fault (the
   *     model, or a regularizer it would otherwise leave out); empty when it computes all of it. A run
   *     stops with the refusal before anything is computed.
   */
  Optional<Refusal> refusal(VariationalProblem problem);

  /**
   * @param problem the continuous problem
   * @param options the {@code discretization} node of the spec, checked and completed by {@link #options()}
   * @param context backend, precision and seed to compute with
   * @return the discrete flow, in its initial state
   * @throws org.varflow.api.SpecException for bad options or init files, naming the key or file
   */
  DiscreteFlow discretize(VariationalProblem problem, Options options, FlowContext context);

  /**
   * Estimates, before {@link #discretize} allocates anything, the memory the flow will need, so that a run too
   * large for the backend fails at once naming the size option. The default knows nothing.
   *
   * @param options the {@code discretization} node, checked and completed by {@link #options()}
   * @param bytesPerElement 8 for float64, 4 for float32
   */
  default Optional<Footprint> footprint(VariationalProblem problem, Options options, int bytesPerElement) {
    return Optional.empty();
  }

  /**
   * Discretizes with option values given in code (embedding, tests): checked and completed by
   * {@link #options()} first, as a run does with the spec's node.
   *
   * @param options the {@code discretization} options, without {@code kind}
   * @return the discrete flow, in its initial state
   */
  default DiscreteFlow discretize(VariationalProblem problem, Map<String, ?> options, FlowContext context) {
    return discretize(problem, options().node("discretization", options), context);
  }
}
