package org.varflow.discretization.flow;

/**
 * {@code flow-random-features}: the layers of {@code resnet} with the inner weights w_{jl} frozen at their initial
 * values and the outer weights a(w, τ) learned, with the velocity −(LM)∇_a E from the discrete adjoint. The state and
 * the velocity hold {@code a} only; {@code W} is saved with the parameters.
 */
public final class FlowRandomFeatureDiscretization extends DepthDiscretization {
  @Override
  public String id() {
    return "flow-random-features";
  }

  @Override
  public String description() {
    return "flow random features: the resnet layers with w frozen, a learned (adjoint gradients, v = −LM∇_a E)";
  }

  @Override
  boolean learnsW() {
    return false;
  }
}
