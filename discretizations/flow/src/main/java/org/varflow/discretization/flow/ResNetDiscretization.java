package org.varflow.discretization.flow;

/**
 * {@code resnet}: the flow model in depth with L layers of M particles, z_{l+1} = z_l + (1/(LM)) Σ_j a_{jl}
 * σ(w_{jl}·z_l) (or Heun's step with {@code depth_scheme: heun}), f = 1ᵀz_L: the 1/(LM)-scaled ResNet. Both a and w
 * move, with the velocity −(LM)∇E from the discrete adjoint.
 */
public final class ResNetDiscretization extends DepthDiscretization {
  @Override
  public String id() {
    return "resnet";
  }

  @Override
  public String description() {
    return "continuous ResNet in depth: z ← z + (1/LM) Σ_j a_jl σ(w_jl·z), adjoint gradients, v = −LM∇E";
  }

  @Override
  boolean learnsW() {
    return true;
  }
}
