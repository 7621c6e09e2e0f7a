package org.varflow.discretization.random.features;

import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.varflow.api.SpecException;
import org.varflow.api.plugin.Refusal;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.FeatureDistribution;
import org.varflow.api.problem.Loss;
import org.varflow.api.problem.RandomFeatureModel;
import org.varflow.api.problem.Regularizer;
import org.varflow.api.problem.Tikhonov;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/**
 * What both discretizations of the random feature model share: the problem checks, the feature
 * sampling w ~ π, the inputs (x, 1) and the feature matrix Φ = σ(X Wᵀ).
 */
final class Features {

  private Features() {}

  /** @return the random feature model of {@code problem}, or a {@link SpecException} naming {@code model.kind} */
  static RandomFeatureModel model(VariationalProblem problem, String discretization) {
    Refusal.require(refusal(problem, discretization));
    RandomFeatureModel model = (RandomFeatureModel) problem.model();
    if (problem.loss() != Loss.SQUARED) {
      throw new SpecException("loss", discretization + " supports the squared loss only, not " + problem.loss());
    }
    return model;
  }

  /** @return why a discretization of the random feature model does not compute {@code problem}: another model or regularizer */
  static Optional<Refusal> refusal(VariationalProblem problem, String discretization) {
    return Refusal.unlessComputes(problem, "discretization '" + discretization + "'", RandomFeatureModel.class::isInstance,
        Set.of(Tikhonov.KIND));
  }

  /** @return α, the summed strengths of the Tikhonov regularizers (the only ones a {@link #refusal} lets through) */
  static double tikhonov(VariationalProblem problem) {
    return problem.regularizers().stream().mapToDouble(Regularizer::strength).sum();
  }

  /** @return whether any Tikhonov regularizer is present (then its energy is reported as a part) */
  static boolean hasTikhonov(VariationalProblem problem) {
    return problem.regularizers().stream().anyMatch(r -> r instanceof Tikhonov);
  }

  /** @return the feature dimension d: the input dimension, plus one for the bias column */
  static int dimension(Dataset data, RandomFeatureModel model) {
    return data.d() + (model.bias() ? 1 : 0);
  }

  /** @return the seed of the feature draw, split off the flow's seed (the second split seeds the init) */
  static long featureSeed(long seed) {
    return new SplittableRandom(seed).nextLong();
  }

  /** @return the seed of random initial values, the second split off the flow's seed */
  static long initSeed(long seed) {
    SplittableRandom seeds = new SplittableRandom(seed);
    seeds.nextLong();
    return seeds.nextLong();
  }

  /**
   * Draws m i.i.d. features w_j ~ π on the JVM (so every backend sees the same numbers): gaussian
   * w ~ N(0, s² I/d); sphere w = s g/|g| with g ~ N(0, I).
   *
   * @return W, row-major m×d
   */
  static double[] sample(FeatureDistribution pi, int m, int d, SplittableRandom rng) {
    double[] w = new double[m * d];
    for (int i = 0; i < w.length; i++) {
      w[i] = rng.nextGaussian();
    }
    boolean sphere = pi.kind().equals("sphere");
    for (int j = 0; j < m; j++) {
      double norm = 0;
      for (int k = 0; k < d; k++) {
        norm += w[j * d + k] * w[j * d + k];
      }
      double factor = sphere ? pi.scale() / Math.sqrt(norm) : pi.scale() / Math.sqrt(d);
      for (int k = 0; k < d; k++) {
        w[j * d + k] *= factor;
      }
    }
    return w;
  }

  /** @return X, n×d, with the bias column (x, 1) when the model has a bias */
  static Tensor inputs(Dataset data, RandomFeatureModel model, TensorFactory tensors, Precision precision) {
    return model.bias()
        ? tensors.of(precision, data.inputsWithBias(), data.n(), data.d() + 1)
        : tensors.of(precision, data.x(), data.n(), data.d());
  }

  /** @return Φ = σ(X Wᵀ), n×m: Φ_ij = σ(w_j·x_i) */
  static Tensor phi(Tensor x, Tensor w, Activation sigma) {
    Tensor z = x.matmul(w, false, true, 1.0);
    Tensor s = z.activate(sigma);
    z.release();
    return s;
  }


}
