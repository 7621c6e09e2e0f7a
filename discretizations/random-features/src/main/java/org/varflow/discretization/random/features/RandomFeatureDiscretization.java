package org.varflow.discretization.random.features;

import java.util.SplittableRandom;
import org.varflow.api.Options;
import org.varflow.api.problem.FeatureDistribution;

/** {@code random-features}: the conventional width-m random feature model, features w_j ~ π i.i.d. */
public final class RandomFeatureDiscretization extends SampledFeatures {
  /** The {@code discretization.kind} of this plugin. */
  public static final String ID = "random-features";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String description() {
    return "Monte Carlo random features w_j ~ π i.i.d. frozen: f = (1/m) Σ a_j σ(w_j·x), da_j/dt = −m ∂E/∂a_j";
  }

  @Override
  protected double[] sample(FeatureDistribution pi, int m, int d, SplittableRandom rng, Options options) {
    return Features.sample(pi, m, d, rng);
  }
}
