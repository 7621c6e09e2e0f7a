/**
 * The varflow API: continuous learning problems, the {@code Tensor}/{@code Backend} SPI, the
 * {@code Discretization} and {@code Solver} SPIs, and the {@link org.varflow.api.plugin.PluginRegistry}
 * that finds their implementations with {@link java.util.ServiceLoader}.
 *
 * <p>It holds SPIs and value types only: the vocabulary of problems every discretization shares (the two-layer,
 * random-feature and density models; weight decay, Tikhonov, Sobolev) as value types, which the module
 * {@code org.varflow.models} provides as plugins like any other. This module depends on nothing but {@code java.base}.
 */
module org.varflow.api {
  exports org.varflow.api;
  exports org.varflow.api.tensor;
  exports org.varflow.api.plugin;
  exports org.varflow.api.problem;
  exports org.varflow.api.flow;
  exports org.varflow.api.solve;
  exports org.varflow.api.io;

  uses org.varflow.api.tensor.Backend;
  uses org.varflow.api.flow.Discretization;
  uses org.varflow.api.solve.Solver;
  uses org.varflow.api.problem.ModelKind;
  uses org.varflow.api.problem.RegularizerKind;
}
