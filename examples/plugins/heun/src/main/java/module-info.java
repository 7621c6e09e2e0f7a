/** Heun's method for varflow: a second-order time stepper written outside varflow on its time-stepper base. */
module org.example.heun {
  requires org.varflow.solvers;

  provides org.varflow.api.solve.Solver with org.example.heun.Heun;
}
