/**
 * Discretizations in depth of the flow model {@link org.varflow.model.flow.FlowModel}: {@code resnet}, forward Euler
 * (or Heun) in τ with L layers of M particles, which is the 1/(LM)-scaled ResNet trained with discrete adjoint
 * gradients, and {@code flow-random-features}, the same with the inner weights w frozen. Exports nothing.
 */
module org.varflow.discretization.flow {
  requires org.varflow.model.flow;

  provides org.varflow.api.flow.Discretization with
      org.varflow.discretization.flow.ResNetDiscretization,
      org.varflow.discretization.flow.FlowRandomFeatureDiscretization;
}
