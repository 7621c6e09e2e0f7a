package org.varflow.backend.nd4j.cpu;

import java.util.Optional;
import java.util.OptionalLong;
import org.bytedeco.javacpp.Pointer;
import org.varflow.api.tensor.Backend;
import org.varflow.backend.support.SelfCheck;
import org.varflow.api.tensor.TensorFactory;
import org.varflow.backend.nd4j.Nd4jTensorFactory;

/**
 * Tensors on ND4J's native CPU backend (libnd4j with OpenBLAS), float32 and float64.
 *
 * <p>Constructing this class touches no ND4J class: the native libraries are loaded the first time
 * {@link #unavailableReason()}, {@link #describe()} or {@link #tensors()} is called, once per JVM. A
 * missing or broken native library makes the backend unavailable with the loader's message instead of
 * failing the caller.
 */
public final class Nd4jCpuBackend implements Backend {

  /** Creates the backend; cheap, loads nothing. */
  public Nd4jCpuBackend() {}

  /** @return {@code nd4j-cpu} */
  @Override
  public String id() {
    return "nd4j-cpu";
  }

  /** @return what this backend computes with */
  @Override
  public String description() {
    return "ND4J native CPU tensors (libnd4j + OpenBLAS), float32 and float64";
  }

  /** @return 100: preferred over the pure-JVM backend when both can run */
  @Override
  public int priority() {
    return 100;
  }

  /**
   * @return empty once ND4J initialised and its BLAS and LAPACK reproduced the {@link SelfCheck}'s known
   *     answers, else why not (a native library failed to load, or a kernel miscomputes on this CPU)
   */
  @Override
  public Optional<String> unavailableReason() {
    return Startup.FAILURE;
  }

  /** @return backend class, BLAS vendor and thread counts, or why ND4J is unavailable */
  @Override
  public String describe() {
    return Startup.FAILURE.map(why -> "ND4J CPU: unavailable (" + why + ")").orElseGet(Nd4jRuntime::describe);
  }

  /**
   * @return the factory for ND4J tensors
   * @throws IllegalStateException if ND4J cannot run here
   */
  /**
   * @return native memory left: JavaCPP's limit on the bytes it allocates ({@code org.bytedeco.javacpp.maxBytes},
   *     by default the JVM's -Xmx) less what it holds, and at most the physical memory free
   */
  @Override
  public OptionalLong availableBytes() {
    return OptionalLong.of(Math.min(Pointer.maxBytes() - Pointer.totalBytes(), Pointer.availablePhysicalBytes()));
  }

  /** Limits OpenBLAS's threads; the fused kernels run on the jvm backend's shared pool, which divides itself. */
  @Override
  public void threadsPerRun(int threads) {
    Nd4jRuntime.threadsPerRun(threads);
  }

  @Override
  public TensorFactory tensors() {
    Startup.FAILURE.ifPresent(why -> {
      throw new IllegalStateException("backend '" + id() + "' cannot run here: " + why);
    });
    return Startup.FACTORY;
  }

  /** Initialises ND4J and runs the {@link SelfCheck} when first touched; the JVM runs this at most once. */
  private static final class Startup {
    static final Nd4jTensorFactory TENSORS = new Nd4jTensorFactory(OpenBlas.INSTANCE);
    static final Optional<String> FAILURE = start().or(() -> SelfCheck.verify(TENSORS)
        .map(why -> "self-check failed: " + why + " (" + Nd4jRuntime.describe() + ")"));
    static final TensorFactory FACTORY = FAILURE.isEmpty() ? TENSORS : null;

    /** @return empty if ND4J initialised, else the root cause in one line */
    private static Optional<String> start() {
      try {
        Nd4jRuntime.initialise();
        return Optional.empty();
      } catch (Throwable t) { // UnsatisfiedLinkError, ExceptionInInitializerError, NoClassDefFoundError, ...
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
          root = root.getCause();
        }
        return Optional.of("ND4J failed to initialise: " + root);
      }
    }
  }
}
