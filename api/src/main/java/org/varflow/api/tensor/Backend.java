package org.varflow.api.tensor;

import java.util.Optional;
import java.util.OptionalLong;
import org.varflow.api.plugin.Plugin;

/**
 * Does the arithmetic: a {@link TensorFactory} whose tensors implement every {@link Tensor} operation.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}: a module
 * {@code provides org.varflow.api.tensor.Backend with ...} (and lists the class in
 * {@code META-INF/services/org.varflow.api.tensor.Backend} to work on the class path too). The
 * constructor must be cheap and must not fail; native libraries are loaded lazily, and a backend that
 * cannot run here says why in {@link #unavailableReason()}. With {@code backend: auto} the available
 * backend of highest {@link #priority()} is chosen.
 */
public interface Backend extends Plugin {

  /** @return preference among available backends; higher wins under {@code auto} */
  int priority();

  /** @return empty when this backend can compute here, else the reason it cannot */
  Optional<String> unavailableReason();

  /** @return whether this backend can compute here */
  default boolean isAvailable() {
    return unavailableReason().isEmpty();
  }

  /**
   * @return whether this backend is unavailable only because the device it drives is not in this machine (a GPU
   *     backend without a GPU), rather than broken: {@code auto} passes over it without a warning. Default false.
   */
  default boolean deviceAbsent() {
    return false;
  }

  /**
   * Shares the machine among runs made at the same time: from now on one run's operations on this backend use at
   * most {@code threads} threads, process-wide (a study of J runs at a time on C cores asks for max(1, ⌊C/J⌋)); 0
   * restores the backend's default. By default nothing: a backend whose operations share one pool of threads among
   * all their callers, or that drives a device, needs no limit.
   *
   * @param threads threads per run ≥ 1, or 0 for the default
   */
  default void threadsPerRun(int threads) {}

  /** @return one line: device, threads, BLAS library */
  String describe();

  /**
   * @return the factory for this backend's tensors
   * @throws IllegalStateException if the backend is not available
   */
  TensorFactory tensors();

  /**
   * @return the bytes this backend can still allocate for tensors (a JVM heap's free room, native memory left under
   *     its limit), to check a run's {@link org.varflow.api.flow.Footprint} against; empty when unknown (the
   *     default)
   */
  default OptionalLong availableBytes() {
    return OptionalLong.empty();
  }
}
