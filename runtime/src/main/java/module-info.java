/**
 * varflow as a library: load or build a spec ({@link org.varflow.runtime.Spec}), prepare it with the
 * installed plugins ({@link org.varflow.runtime.Varflow}), check it and run it with a listener
 * ({@link org.varflow.runtime.Run}), and read the history and the final parameters
 * ({@link org.varflow.runtime.RunResult}); run directories, data sources, the check report and network
 * export live here, so that the command line and embedding code share them; studies (grids of runs with fitted
 * rates, {@link org.varflow.runtime.study.Study}) too.
 */
module org.varflow.runtime {
  requires transitive org.varflow.api;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires org.yaml.snakeyaml;
  requires org.jfree.jfreechart;
  requires org.jfree.svg;
  requires java.desktop;

  exports org.varflow.runtime;
  exports org.varflow.runtime.study;
  exports org.varflow.runtime.report;

  uses org.varflow.api.tensor.Backend;
  uses org.varflow.api.flow.Discretization;
  uses org.varflow.api.solve.Solver;
  uses org.varflow.api.problem.ModelKind;
  uses org.varflow.api.problem.RegularizerKind;
  uses org.varflow.runtime.study.StudyEngine;
}
