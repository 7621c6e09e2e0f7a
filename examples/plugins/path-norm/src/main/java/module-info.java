/** A smoothed path norm, a varflow regularizer plugin written outside varflow: a particle potential. */
module org.example.pathnorm {
  requires org.varflow.api;

  provides org.varflow.api.problem.RegularizerKind with org.example.pathnorm.PathNormKind;
}
