package org.varflow.backend.jvm;

import java.util.Optional;
import java.util.OptionalLong;
import org.varflow.api.tensor.Backend;
import org.varflow.backend.support.SelfCheck;
import org.varflow.api.tensor.TensorFactory;

/**
 * The pure-Java backend ({@code jvm}): dense float32/float64 tensors on Java arrays, a multi-threaded
 * cache-blocked matrix product whose inner loop the JIT compiles to SIMD code, and a blocked Cholesky
 * solver. Always available. The thread count is the number of available processors, or the system
 * property {@code varflow.jvm.threads}.
 */
public final class JvmBackend implements Backend {
  /** The fraction of the free heap that a run's large arrays can fill (see {@link #availableBytes}). */
  private static final double USABLE = 2.0 / 3;

  /** Creates the backend; cheap, starts no threads. */
  public JvmBackend() {}

  /** @return {@code jvm} */
  @Override
  public String id() {
    return "jvm";
  }

  /** @return what this backend computes with */
  @Override
  public String description() {
    return "pure-Java dense tensors: multi-threaded cache-blocked gemm, blocked Cholesky, float32 and float64";
  }

  /** @return 10, below native backends */
  @Override
  public int priority() {
    return 10;
  }

  /**
   * @return empty once the {@link SelfCheck} passed (pure Java runs everywhere, but a miscompiled kernel
   *     would still give wrong numbers), else what it found; checked once per JVM. On the class path the kernels'
   *     module {@code jdk.incubator.vector} must be added by hand, which is said when it is not.
   */
  @Override
  public Optional<String> unavailableReason() {
    return Checked.FAILURE;
  }

  /** @return e.g. {@code pure Java 17.0.15, 2 threads, cache-blocked gemm} */
  @Override
  public String describe() {
    return "pure Java " + Runtime.version().feature() + "." + Runtime.version().interim() + "." + Runtime.version().update()
        + ", " + Parallel.THREADS + " threads, cache-blocked gemm";
  }

  /**
   * @return the part of the free heap a run's tensors can count on: two thirds of max − used, measured after the
   *     pooled arrays are let go and the garbage is collected. The collector puts each large array in contiguous
   *     regions, and a heap that grew while the first ones were placed leaves gaps between them too small for the
   *     next: the particles' three n×m arrays ran out of memory in 75–85% of the free heap with G1 at 768 MB–2 GB
   *     (89–95% at 8 GB), 96% with -Xms equal to -Xmx
   */
  @Override
  public OptionalLong availableBytes() {
    Heap.clear();
    System.gc();
    Runtime r = Runtime.getRuntime();
    return OptionalLong.of((long) (USABLE * (r.maxMemory() - (r.totalMemory() - r.freeMemory()))));
  }

  /** @return the tensor factory (also while the self-check runs) */
  @Override
  public TensorFactory tensors() {
    return JvmTensorFactory.INSTANCE;
  }

  /** The self-check, run when first needed. */
  private static final class Checked {
    /** The Vector API's module, which the kernels use. */
    static final String VECTOR = "jdk.incubator.vector";
    static final Optional<String> FAILURE = ModuleLayer.boot().findModule(VECTOR).isEmpty()
        ? Optional.of("its kernels need the module " + VECTOR + ": start the JVM with --add-modules " + VECTOR)
        : SelfCheck.verify(JvmTensorFactory.INSTANCE).map(why -> "self-check failed: " + why);
  }
}
