/**
 * The varflow API: continuous learning problems, the {@code Tensor}/{@code Backend} SPI, the
 * {@code Discretization} and {@code Solver} SPIs, and the {@link org.varflow.api.plugin.PluginRegistry}
 * that finds their implementations with {@link java.util.ServiceLoader}.
 *
 * <p>This module depends on nothing but {@code java.base}.
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
}
