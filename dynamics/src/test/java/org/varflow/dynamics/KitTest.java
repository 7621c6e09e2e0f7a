package org.varflow.dynamics;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.varflow.kit.SolverKit;

/**
 * The solver kit on the module's solvers: Heun is second order and SAV first order, and every solver — mini-batches and Langevin noise
 * from the run's seed, SAV's r in the solver state — releases its tensors and resumes bit for bit on the kit's flows.
 */
class KitTest {

  @Test
  void heunPassesTheKitWithOrderTwo() {
    SolverKit.of(new Heun()).order(2).verify();
  }

  @Test
  void sgdPassesTheKit() {
    SolverKit.of(new StochasticGradient(), Map.of("batch", 3L)).verify();
    SolverKit.of(new StochasticGradient(), Map.of("batch", 2L, "replacement", true)).verify();
  }

  /** With an entropy τ = 0.01 in the problem the solves get, so that the noise is there. */
  @Test
  void langevinPassesTheKit() {
    SolverKit.of(new Langevin()).problem(Flows.problem(10, new EntropyKind.Term(0.01))).verify();
  }

  @Test
  void savPassesTheKitWithOrderOne() {
    SolverKit.of(new ScalarAuxiliaryVariable(), Map.of("lambda", 0.1, "variant", "relaxed")).order(1).verify();
  }
}
