package org.varflow.discretization.random.features;

import java.util.SplittableRandom;
import org.varflow.api.problem.FeatureDistribution;
import org.varflow.api.problem.RandomFeatureModel;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/**
 * The kernel k(x, x') = E_π[σ(w·x) σ(w·x')] of a random feature model, evaluated on two sets of inputs
 * (rows, bias column already appended). Closed forms where they exist, else a Monte Carlo estimate.
 */
abstract class FeatureKernel {
  /** Features per Monte Carlo block, so that the n×B feature matrices stay small. */
  private static final int BLOCK = 2048;
  /** Where the kernel matrices are created. */
  final TensorFactory tensors;

  FeatureKernel(TensorFactory tensors) {
    this.tensors = tensors;
  }

  /** @return K_ij = k(x1_i, x2_j), n1×n2 */
  abstract Tensor matrix(Tensor x1, Tensor x2);

  /** @return one line saying how k is evaluated */
  abstract String describe();

  /** Releases the tensors this kernel keeps (none, unless it samples). */
  void release() {}

  /**
   * @param samples Monte Carlo features, used only when there is no closed form
   * @return the closed form for ReLU (gaussian or sphere π) and sin (gaussian π), else a Monte Carlo estimate
   */
  static FeatureKernel of(RandomFeatureModel model, int d, int samples, long featureSeed,
      TensorFactory tensors, Precision precision) {
    FeatureDistribution pi = model.features();
    double variance = pi.scale() * pi.scale() / d;
    if (model.activation() == Activation.RELU) {
      return new ArcCosine(variance, tensors);
    }
    if (hasClosedForm(model)) {
      return new GaussianSin(variance, tensors);
    }
    return new MonteCarlo(model, d, samples, featureSeed, tensors, precision);
  }

  /** @return whether k is known in closed form: ReLU with either π, sin with gaussian π */
  static boolean hasClosedForm(RandomFeatureModel model) {
    return model.activation() == Activation.RELU
        || model.activation() == Activation.SIN && model.features().kind().equals("gaussian");
  }

  /**
   * ReLU, degree-1 arc-cosine kernel. ReLU is 1-homogeneous and both π have E[w wᵀ] = (s²/d) I with |w|
   * independent of its direction, so gaussian and sphere give the same
   * k = (s²/d) |x||x'| (sin θ + (π − θ) cos θ)/(2π), θ = ∠(x, x'); k = 0 when x = 0 or x' = 0.
   */
  static final class ArcCosine extends FeatureKernel {
    private final double variance;

    ArcCosine(double variance, TensorFactory tensors) {
      super(tensors);
      this.variance = variance;
    }

    @Override
    Tensor matrix(Tensor x1, Tensor x2) {
      return pairwise(x1, x2, (n1, n2, g) -> {
        double norms = Math.sqrt(n1 * n2);
        if (norms == 0) {
          return 0.0;
        }
        double theta = Math.acos(Math.max(-1.0, Math.min(1.0, g / norms)));
        // |x||x'| sin θ + (π − θ) x·x'
        return variance * (norms * Math.sin(theta) + (Math.PI - theta) * g) / (2 * Math.PI);
      });
    }

    @Override
    String describe() {
      return "closed form: degree-1 arc-cosine kernel (relu)";
    }
  }

  /** sin with gaussian π: k = ½ (exp(−s²|x−x'|²/(2d)) − exp(−s²|x+x'|²/(2d))). */
  static final class GaussianSin extends FeatureKernel {
    private final double variance;

    GaussianSin(double variance, TensorFactory tensors) {
      super(tensors);
      this.variance = variance;
    }

    @Override
    Tensor matrix(Tensor x1, Tensor x2) {
      return pairwise(x1, x2, (n1, n2, g) -> {
        double minus = Math.max(0.0, n1 + n2 - 2 * g); // |x − x'|²
        double plus = Math.max(0.0, n1 + n2 + 2 * g); // |x + x'|²
        return 0.5 * (Math.exp(-0.5 * variance * minus) - Math.exp(-0.5 * variance * plus));
      });
    }

    @Override
    String describe() {
      return "closed form: ½(exp(−s²|x−x'|²/2d) − exp(−s²|x+x'|²/2d)) (sin, gaussian π)";
    }
  }

  /** k ≈ (1/N) Σ_j σ(w_j·x) σ(w_j·x'), w_j ~ π from the feature seed: K = Σ_blocks Φ1 Φ2ᵀ / N. */
  static final class MonteCarlo extends FeatureKernel {
    private final Activation sigma;
    private final int samples;
    private final Tensor[] blocks;

    MonteCarlo(RandomFeatureModel model, int d, int samples, long featureSeed, TensorFactory tensors,
        Precision precision) {
      super(tensors);
      this.sigma = model.activation();
      this.samples = samples;
      double[] w = Features.sample(model.features(), samples, d, new SplittableRandom(featureSeed));
      this.blocks = new Tensor[(samples + BLOCK - 1) / BLOCK];
      for (int b = 0; b < blocks.length; b++) {
        int from = b * BLOCK;
        int rows = Math.min(BLOCK, samples - from);
        double[] part = new double[rows * d];
        System.arraycopy(w, from * d, part, 0, rows * d);
        blocks[b] = tensors.of(precision, part, rows, d);
      }
    }

    @Override
    Tensor matrix(Tensor x1, Tensor x2) {
      Tensor k = null;
      for (Tensor w : blocks) {
        Tensor phi1 = Features.phi(x1, w, sigma);
        Tensor phi2 = x1 == x2 ? phi1 : Features.phi(x2, w, sigma);
        Tensor part = phi1.matmul(phi2, false, true, 1.0 / samples);
        if (k == null) {
          k = part;
        } else {
          k.addi(part);
          part.release();
        }
        phi1.release();
        if (phi2 != phi1) {
          phi2.release();
        }
      }
      return k;
    }

    @Override
    String describe() {
      return "Monte Carlo estimate of k with " + samples + " samples (" + sigma.id() + ")";
    }

    @Override
    void release() {
      Tensor.releaseAll(blocks);
    }
  }

  /** k(x, x') as a function of |x|², |x'|² and x·x'. */
  @FunctionalInterface
  interface OfGram {
    double apply(double n1, double n2, double g);
  }

  /** Forms the Gram matrix X1 X2ᵀ with one gemm and the squared norms, then applies {@code k} entrywise. */
  Tensor pairwise(Tensor x1, Tensor x2, OfGram k) {
    Tensor gram = x1.matmul(x2, false, true, 1.0);
    double[] g = gram.toDoubleArray();
    gram.release();
    double[] n1 = squaredNorms(x1);
    double[] n2 = x1 == x2 ? n1 : squaredNorms(x2);
    int cols = n2.length;
    for (int i = 0; i < n1.length; i++) {
      for (int j = 0; j < cols; j++) {
        g[i * cols + j] = k.apply(n1[i], n2[j], g[i * cols + j]);
      }
    }
    return tensors.of(x1.precision(), g, n1.length, cols);
  }

  private static double[] squaredNorms(Tensor x) {
    Tensor sq = x.mul(x);
    Tensor sums = sq.rowSums();
    double[] out = sums.toDoubleArray();
    Tensor.releaseAll(sq, sums);
    return out;
  }
}
