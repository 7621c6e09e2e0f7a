package org.varflow.api.problem;

import java.util.List;
import java.util.Optional;
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

  /** With Tikhonov of total strength α the energy is α-convex in L²(π) (and the L² flow decays at 2α). */
  @Override
  public Optional<Convexity> convexity(List<Regularizer> regularizers) {
    double alpha = regularizers.stream().filter(r -> r instanceof Tikhonov).mapToDouble(Regularizer::strength).sum();
    return Optional.of(new Convexity("L²(π): E(a) = (1/2n)|Ta − y|² + (α/2)‖a‖², T a = ∫ a(w)σ(w·x)π(dw)",
        alpha, alpha, "{L²(π)}", 0.5));
  }
}
