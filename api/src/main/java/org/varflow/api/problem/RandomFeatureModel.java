package org.varflow.api.problem;

import org.varflow.api.tensor.Activation;

/**
 * The random feature model f(x) = ∫ a(w) σ(w·x) π(dw): the features w ~ π are fixed, the unknown is the
 * outer function a ∈ L²(π). With x ← (x, 1) when {@code bias} (then w has d + 1 components).
 *
 * @param activation σ
 * @param bias whether a constant input 1 is appended
 * @param features π
 */
public record RandomFeatureModel(Activation activation, boolean bias, FeatureDistribution features) implements Model {
  /** The {@code model.kind} of this model. */
  public static final String KIND = "random-features";

  @Override
  public String kind() {
    return KIND;
  }
}
