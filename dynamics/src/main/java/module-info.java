/**
 * Time discretizations of the mean-field gradient flow, each a plugin on the exported time-stepper base: {@code heun}
 * (second order), {@code sgd} (mini-batches through the flow's batch capability), {@code langevin} (Euler–Maruyama
 * on the particle positions, realizing the regularizer {@code entropy} τ∫ρ log ρ that this module provides) and
 * {@code sav} (scalar auxiliary variable: a modified energy that never increases). Exports nothing.
 */
module org.varflow.dynamics {
  requires org.varflow.solvers;

  provides org.varflow.api.solve.Solver with
      org.varflow.dynamics.Heun,
      org.varflow.dynamics.StochasticGradient,
      org.varflow.dynamics.Langevin,
      org.varflow.dynamics.ScalarAuxiliaryVariable;
  provides org.varflow.api.problem.RegularizerKind with org.varflow.dynamics.EntropyKind;
}
