/**
 * The varflow API: continuous learning problems, the {@code Tensor}/{@code Backend} SPI, the
 * {@code Discretization} and {@code Solver} SPIs, and the {@link org.varflow.api.plugin.PluginRegistry}
 * that finds their implementations with {@link java.util.ServiceLoader}.
 *
 * <p>It also provides the built-in model kinds ({@code two-layer}, {@code random-features}, {@code density})
 * and regularizer kinds ({@code weight-decay}, {@code tikhonov}, {@code sobolev}), the vocabulary every
 * discretization shares, as plugins like any other. This module depends on nothing but {@code java.base}.
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

  provides org.varflow.api.problem.ModelKind with
      org.varflow.api.builtin.TwoLayerKind,
      org.varflow.api.builtin.RandomFeatureKind,
      org.varflow.api.builtin.DensityKind;
  provides org.varflow.api.problem.RegularizerKind with
      org.varflow.api.builtin.WeightDecayKind,
      org.varflow.api.builtin.TikhonovKind,
      org.varflow.api.builtin.SobolevKind;
}
