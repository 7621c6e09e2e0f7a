package org.varflow.api.solve;

import java.util.Optional;
import org.varflow.api.Options;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.problem.VariationalProblem;

/**
 * Everything a {@link Solver} gets for one solve (the run builds it; tests and embedding code use {@link #of}).
 *
 * @param flow the flow, moved in place
 * @param options the {@code solver} node of the spec, checked and completed by {@link Solver#options()}
 * @param observer receives steps and records, and may stop the solve
 * @param problem the continuous problem the flow discretizes, when the solve is part of a run
 * @param first the steps already taken: 0 for a new solve; for a resumed one the flow and {@link #state()} are as
 *     they were after that step, and the solve goes on to the same steps, records and numbers as one never stopped
 *     (the record at {@code first}, if it is one, is made again)
 * @param seed the run's seed: every random draw of the solver derives from it ({@link #seed(String, long)})
 * @param state the solver's own state, saved with each checkpoint and given back on resume
 */
public record SolveContext(DiscreteFlow flow, Options options, Observer observer, Optional<VariationalProblem> problem,
    long first, long seed, SolverState state) {

  /** A new solve outside a run: no problem, seed 1, no solver state. */
  public static SolveContext of(DiscreteFlow flow, Options options, Observer observer) {
    return new SolveContext(flow, options, observer, Optional.empty(), 0, 1, new SolverState());
  }

  /**
   * The seed of the draw number {@code index} of the stream {@code stream} (e.g. the Langevin noise of step k is
   * {@code seed("noise", k)}): a hash of the run's seed, the stream's name and the index, so that the same run draws
   * the same numbers, different streams are independent, and a resumed solve needs no generator state.
   *
   * @return SplitMix64 of (seed, stream, index)
   */
  public long seed(String stream, long index) {
    long h = mix(seed ^ 0x9E3779B97F4A7C15L);
    for (int i = 0; i < stream.length(); i++) {
      h = mix(h ^ stream.charAt(i));
    }
    return mix(h ^ mix(index));
  }

  /** The SplitMix64 finalizer: z ← (z ⊕ z≫30)·c₁, (z ⊕ z≫27)·c₂, z ⊕ z≫31 after adding the golden gamma. */
  private static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
