/**
 * The model kind {@code flow}: the continuous-depth ResNet (E, Ma, Wu, "Machine learning from a continuous viewpoint",
 * §5) z(0) = Vx, dz/dτ = E_{(a,w)∼ρ_τ}[a σ(w·z)] for τ ∈ [0, 1], f(x) = 1ᵀz(1). It exports the model's value type
 * {@link org.varflow.model.flow.FlowModel}, which the discretizations of the flow ({@code resnet},
 * {@code flow-random-features}) require.
 */
module org.varflow.model.flow {
  requires transitive org.varflow.api;

  exports org.varflow.model.flow;

  provides org.varflow.api.problem.ModelKind with org.varflow.model.flow.kind.FlowKind;
}
