package org.varflow.backend.cuda;

import java.util.Optional;
import java.util.OptionalLong;
import org.varflow.api.tensor.Backend;
import org.varflow.backend.support.NativeLibraries;
import org.varflow.backend.support.SelfCheck;
import org.varflow.api.tensor.TensorFactory;

/**
 * Tensors on an NVIDIA GPU (device 0) through the machine's CUDA 13 libraries: cuBLAS for products, cuSOLVER for
 * Cholesky solves, and elementwise, activation and reduction kernels compiled at start with NVRTC for the GPU at
 * hand; float32 and float64.
 *
 * <p>Constructing this class loads nothing. The first call to {@link #unavailableReason()}, {@link #describe()} or
 * {@link #tensors()} finds the CUDA libraries (see {@link CudaLibraries} for where; the environment variable
 * {@code VARFLOW_CUDA_PATH} adds directories), initialises the GPU, compiles the kernels and runs the
 * {@link SelfCheck}, once per JVM. Without a driver, a GPU of compute capability 7.5 or newer, or the CUDA 13
 * libraries, the backend is unavailable and says which is missing.
 */
public final class CudaBackend implements Backend {

  /** Creates the backend; cheap, loads nothing. */
  public CudaBackend() {}

  /** @return {@code cuda} */
  @Override
  public String id() {
    return "cuda";
  }

  /** @return what this backend computes with */
  @Override
  public String description() {
    return "NVIDIA GPU tensors on CUDA 13 (cuBLAS, cuSOLVER, NVRTC kernels), float32 and float64";
  }

  /** @return 200: preferred over the CPU backends when a GPU can run */
  @Override
  public int priority() {
    return 200;
  }

  /**
   * @return empty once the GPU initialised, the kernels compiled and the {@link SelfCheck} passed, else why not:
   *     no NVIDIA driver, a CUDA library not found (and where it was looked for), no device, a driver too old or a
   *     compute capability below 7.5, a kernel that failed to compile, or a wrong known answer
   */
  @Override
  public Optional<String> unavailableReason() {
    return Startup.FAILURE;
  }

  /** @return CUDA and driver versions, device name, compute capability, memory and cuBLAS version; or why not */
  @Override
  public String describe() {
    return Startup.FAILURE.map(why -> "CUDA: unavailable (" + why + ")").orElseGet(() -> Startup.DEVICE.describe());
  }

  /**
   * @return whether the backend is unavailable only because this machine has no NVIDIA GPU (no driver, or the
   *     driver sees no device): {@code backend: auto} then passes over it without a warning
   */
  @Override
  public boolean deviceAbsent() {
    return Startup.ABSENT;
  }

  /** @return the device memory free now (buffers pooled for reuse are freed first), empty when unavailable */
  @Override
  public OptionalLong availableBytes() {
    return Startup.FAILURE.isPresent() ? OptionalLong.empty() : OptionalLong.of(Startup.DEVICE.freeBytes());
  }

  /**
   * @return the factory for GPU tensors
   * @throws IllegalStateException if the backend cannot run here
   */
  @Override
  public TensorFactory tensors() {
    Startup.FAILURE.ifPresent(why -> {
      throw new IllegalStateException("backend '" + id() + "' cannot run here: " + why);
    });
    return Startup.FACTORY;
  }

  /** Finds the libraries, opens the GPU and runs the {@link SelfCheck} when first touched; at most once per JVM. */
  private static final class Startup {
    static final Device DEVICE;
    static final CudaTensorFactory FACTORY;
    static final Optional<String> FAILURE;
    /** Whether the failure is only that this machine has no NVIDIA GPU (no driver, or no device). */
    static final boolean ABSENT;

    static {
      CudaTensorFactory factory = null;
      String failure = null;
      boolean absent = false;
      CudaLibraries libraries = null;
      try {
        if (!CudaLibraries.driverPresent()) {
          absent = true;
          failure = CudaLibraries.noDriver();
        } else {
          libraries = CudaLibraries.ofThisMachine();
          libraries.preload();
          factory = new CudaTensorFactory(new Device());
          failure = selfCheck(factory);
        }
      } catch (Device.Unavailable e) {
        absent = e.deviceAbsent();
        failure = e.getMessage();
      } catch (LinkageError e) { // UnsatisfiedLinkError, NoClassDefFoundError, ExceptionInInitializerError
        failure = libraries == null ? NativeLibraries.messages(e) : libraries.explain(e);
        absent = failure.equals(CudaLibraries.noDriver());
      } catch (RuntimeException e) {
        failure = "the GPU failed to initialise: " + e.getMessage();
      }
      ABSENT = absent;
      FAILURE = Optional.ofNullable(failure);
      FACTORY = failure == null ? factory : null;
      DEVICE = failure == null ? factory.device() : null;
    }

    /** @return null if the known answers came out right, else what was wrong */
    private static String selfCheck(CudaTensorFactory factory) {
      return SelfCheck.verify(factory)
          .map(why -> "self-check failed: " + why + " (" + factory.device().describe() + ")").orElse(null);
    }
  }
}
