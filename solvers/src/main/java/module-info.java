/** Time steppers and stationary solvers for varflow's discrete gradient flows. */
module org.varflow.solvers {
  requires org.varflow.api;

  provides org.varflow.api.solve.Solver with
      org.varflow.solvers.ExplicitEuler,
      org.varflow.solvers.ImplicitEuler,
      org.varflow.solvers.Stationary;
}
