package org.varflow.api.tensor;

import java.util.SplittableRandom;

/**
 * Creates tensors on one backend. Random fills are generated on the JVM from the seed and copied in, so
 * the same seed gives the same numbers on every backend.
 */
public interface TensorFactory {

  /**
   * @param data row-major elements, length = product of shape
   * @param shape {@code [k]} or {@code [rows, cols]}
   * @return a new tensor holding {@code data} rounded to {@code precision}
   */
  Tensor of(Precision precision, double[] data, int... shape);

  /** @return a new float32 tensor holding {@code data} */
  Tensor of(float[] data, int... shape);

  /** @return a new tensor of zeros */
  Tensor zeros(Precision precision, int... shape);

  /** @return the k×k identity matrix */
  default Tensor identity(Precision precision, int k) {
    double[] data = new double[count(k, k)];
    for (int i = 0; i < k; i++) {
      data[i * k + i] = 1.0;
    }
    return of(precision, data, k, k);
  }

  /** @return i.i.d. N(mean, std²) entries drawn from {@link SplittableRandom}(seed) in row-major order */
  default Tensor normal(Precision precision, long seed, double mean, double std, int... shape) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] data = new double[count(shape)];
    for (int i = 0; i < data.length; i++) {
      data[i] = mean + std * rng.nextGaussian();
    }
    return of(precision, data, shape);
  }

  /** @return i.i.d. U[lo, hi) entries drawn from {@link SplittableRandom}(seed) in row-major order */
  default Tensor uniform(Precision precision, long seed, double lo, double hi, int... shape) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] data = new double[count(shape)];
    for (int i = 0; i < data.length; i++) {
      data[i] = lo + (hi - lo) * rng.nextDouble();
    }
    return of(precision, data, shape);
  }

  /**
   * @param shape rank 1 or 2, non-negative extents
   * @return the number of elements
   * @throws IllegalArgumentException for another rank, a negative extent or more than 2³¹−1 elements
   */
  static int count(int... shape) {
    if (shape.length < 1 || shape.length > 2) {
      throw new IllegalArgumentException("tensors have rank 1 or 2, got rank " + shape.length);
    }
    long n = 1;
    for (int s : shape) {
      if (s < 0) {
        throw new IllegalArgumentException("negative extent " + s);
      }
      n *= s;
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("too many elements: " + n);
    }
    return (int) n;
  }
}
