package org.varflow.backend.conformance;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.api.tensor.Backend;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/**
 * One backend in one precision: what each conformance test runs against, with the tolerances that
 * precision is held to and helpers that build tensors from data generated here, independently of the
 * backend's own random fills.
 */
record Target(Backend backend, Precision precision) {
  /** Every backend on the test class path, highest priority first, loaded once. */
  static final List<Backend> BACKENDS =
      PluginRegistry.load(Thread.currentThread().getContextClassLoader()).backends();

  /** @return the available backends */
  static List<Backend> available() {
    return BACKENDS.stream().filter(Backend::isAvailable).toList();
  }

  /** @return every available backend in both precisions (the parameter source of the suite) */
  static Stream<Target> all() {
    return available().stream().flatMap(b -> Arrays.stream(Precision.values()).map(p -> new Target(b, p)));
  }

  /** @return the factory of the backend */
  TensorFactory f() {
    return backend.tensors();
  }

  /** @return allowed relative error of an elementwise result (a few roundings per element) */
  double elementwiseTol() {
    return precision == Precision.FLOAT64 ? 1e-12 : 1e-5;
  }

  /** @return allowed relative error of a sum, product, or solve (many roundings per element) */
  double accumulatedTol() {
    return precision == Precision.FLOAT64 ? 1e-10 : 1e-5;
  }

  /** @return a tensor of i.i.d. N(0, 1) entries drawn here from {@code seed} */
  Tensor gaussian(long seed, int... shape) {
    return f().of(precision, gaussians(seed, TensorFactory.count(shape)), shape);
  }

  /** @return a tensor holding {@code data} */
  Tensor of(double[] data, int... shape) {
    return f().of(precision, data, shape);
  }

  /** @return n i.i.d. N(0, 1) numbers from {@code seed} */
  static double[] gaussians(long seed, int n) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = rng.nextGaussian();
    }
    return out;
  }

  /** @return e.g. {@code nd4j-cpu float64} */
  @Override
  public String toString() {
    return backend.id() + " " + precision.id();
  }
}
