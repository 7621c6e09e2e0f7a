/** The explicit midpoint rule, a varflow solver plugin written outside varflow on its time-stepper base. */
module org.example.midpoint {
  requires org.varflow.solvers;

  provides org.varflow.api.solve.Solver with org.example.midpoint.Midpoint;
}
