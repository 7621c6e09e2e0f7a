package org.varflow.api.solve;

import java.util.Map;
import java.util.Optional;
import org.varflow.api.Options;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.plugin.Plugin;
import org.varflow.api.plugin.Refusal;
import org.varflow.api.problem.Regularizer;
import org.varflow.api.problem.VariationalProblem;

/**
 * Integrates a {@link DiscreteFlow} in time (or solves its stationary equation), reporting to an
 * {@link Observer}. Provide one with {@code provides org.varflow.api.solve.Solver with ...}.
 */
public interface Solver extends Plugin {
  /**
   * The option of a solver that can continue an interrupted solve ({@link SolveContext#first()} &gt; 0): the steps
   * between the checkpoints a run writes (a whole number ≥ 1; absent: a checkpoint a minute).
   */
  String CHECKPOINT_EVERY = "checkpoint_every";

  /**
   * Solves, or continues a solve stopped after {@link SolveContext#first()} steps (only a solver that declares
   * {@link #CHECKPOINT_EVERY} is asked to continue one).
   *
   * @param context the flow, the options, the observer and what else the solve may use
   * @return how far the solve went, counting the first steps
   * @throws org.varflow.api.SpecException for bad options, naming the key
   * @throws DivergenceException when the energy or state stops being finite
   */
  SolveResult solve(SolveContext context);

  /**
   * Whether this solver realizes {@code term} itself instead of through the flow's velocity, as Langevin dynamics
   * realizes an {@link org.varflow.api.problem.Entropy} by noise on the particle positions. A run hands the
   * discretization the problem without the terms its solver realizes (so a discretization that cannot compute one
   * still takes the problem); the solver finds them in {@link SolveContext#problem()}.
   *
   * @param term a regularizer of the problem
   * @return whether this solver realizes it; none by default
   */
  default boolean realizes(Regularizer term) {
    return false;
  }

  /**
   * @param problem the continuous problem
   * @param flow its discretization, in its initial state
   * @return why this solver cannot solve the flow (e.g. it needs a quadratic energy), naming the spec key at
   *     fault; empty when it can (the default)
   */
  default Optional<Refusal> refusal(VariationalProblem problem, DiscreteFlow flow) {
    return Optional.empty();
  }

  /**
   * @param options this solver's options, checked and completed by {@link #options()}
   * @return why the options make no solve (e.g. more steps than a run takes), naming the key at fault; empty when
   *     they do (the default). A run stops with it before the flow is formed.
   */
  default Optional<Refusal> refusal(Options options) {
    return Optional.empty();
  }

  /**
   * For {@code varflow check}: whether these options are stable on a flow whose linear part has largest
   * eigenvalue L (e.g. explicit Euler needs h &lt; 2/L; an implicit or stationary solver is stable for every L).
   *
   * @param lipschitz L, an upper estimate of the largest eigenvalue of the flow's operator A
   * @param options this solver's options, checked and completed by {@link #options()}
   * @return why the solve will diverge, with the numbers and the key to change; empty when stable (the default)
   */
  default Optional<Refusal> instability(double lipschitz, Options options) {
    return Optional.empty();
  }

  /**
   * Solves with option values given in code (embedding, tests): checked and completed by {@link #options()}
   * first, as a run does with the spec's node.
   *
   * @param options the {@code solver} options, without {@code kind}
   * @return how far the solve went
   */
  default SolveResult solve(DiscreteFlow flow, Map<String, ?> options, Observer observer) {
    return solve(SolveContext.of(flow, options().node("solver", options), observer));
  }
}
