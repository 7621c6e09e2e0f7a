/**
 * Time steppers and stationary solvers for varflow's discrete gradient flows; exports the time-stepper base
 * ({@link org.varflow.solvers.stepping.TimeStepper}) that the built-in and third-party steppers extend.
 */
module org.varflow.solvers {
  requires transitive org.varflow.api;

  exports org.varflow.solvers.stepping;

  provides org.varflow.api.solve.Solver with
      org.varflow.solvers.ExplicitEuler,
      org.varflow.solvers.ImplicitEuler,
      org.varflow.solvers.Stationary;
}
