/**
 * The built-in vocabulary of problems, provided like any plugin: the model kinds {@code two-layer},
 * {@code random-features} and {@code density}, and the regularizer kinds {@code weight-decay}, {@code tikhonov} and
 * {@code sobolev}. Each reads its spec node into the api's value types ({@link org.varflow.api.problem.TwoLayerModel},
 * {@link org.varflow.api.problem.WeightDecay}, …), which every discretization computes with. Exports nothing.
 */
module org.varflow.models {
  requires org.varflow.api;

  provides org.varflow.api.problem.ModelKind with
      org.varflow.models.TwoLayerKind,
      org.varflow.models.RandomFeatureKind,
      org.varflow.models.DensityKind;
  provides org.varflow.api.problem.RegularizerKind with
      org.varflow.models.WeightDecayKind,
      org.varflow.models.TikhonovKind,
      org.varflow.models.SobolevKind;
}
