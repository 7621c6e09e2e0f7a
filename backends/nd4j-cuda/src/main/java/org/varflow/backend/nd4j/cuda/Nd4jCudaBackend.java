package org.varflow.backend.nd4j.cuda;

import static org.bytedeco.cuda.global.cudart.cudaDevAttrComputeCapabilityMajor;
import static org.bytedeco.cuda.global.cudart.cudaDevAttrComputeCapabilityMinor;
import static org.bytedeco.cuda.global.cudart.cudaDeviceGetAttribute;
import static org.bytedeco.cuda.global.cudart.cudaDriverGetVersion;
import static org.bytedeco.cuda.global.cudart.cudaErrorInsufficientDriver;
import static org.bytedeco.cuda.global.cudart.cudaErrorNoDevice;
import static org.bytedeco.cuda.global.cudart.cudaGetDeviceCount;
import static org.bytedeco.cuda.global.cudart.cudaSuccess;

import java.util.Optional;
import org.nd4j.linalg.factory.Nd4j;
import org.varflow.api.tensor.Backend;
import org.varflow.backend.support.NativeLibraries;
import org.varflow.backend.support.SelfCheck;
import org.varflow.api.tensor.TensorFactory;
import org.varflow.backend.nd4j.Nd4jOps;
import org.varflow.backend.nd4j.Nd4jTensorFactory;

/**
 * Tensors on ND4J's CUDA 11.6 backend (ND4J 1.0.0-M2.1), float32 and float64, for NVIDIA GPUs of compute capability
 * 3.7 to 8.9 with a driver of version 510 or newer. Built only with the Maven profile {@code cuda}, whose app
 * carries this backend in place of nd4j-cpu and the CUDA 13 {@code cuda} backend (ND4J runs one backend per
 * process, and the two CUDA bindings cannot share a class path).
 *
 * <p>ND4J's CUDA library holds binaries for sm_37 to sm_86 and no PTX, so a GPU of compute capability 9.0 or newer
 * (Hopper, Blackwell) cannot run its kernels: that GPU is refused before ND4J starts, with the reason, and the
 * {@code cuda} backend of the default build is the one to use there. Before ND4J starts, the driver, the device
 * and its compute capability are checked through the CUDA runtime's own bindings, so each failure has its reason.
 */
public final class Nd4jCudaBackend implements Backend {
  /** Lowest and highest compute capability (10·major + minor) ND4J's CUDA 11.6 binaries run on. */
  static final int MIN_CAPABILITY = 37;
  static final int MAX_CAPABILITY = 89;

  /** Creates the backend; cheap, loads nothing. */
  public Nd4jCudaBackend() {}

  /** @return {@code nd4j-cuda} */
  @Override
  public String id() {
    return "nd4j-cuda";
  }

  /** @return what this backend computes with */
  @Override
  public String description() {
    return "ND4J CUDA 11.6 tensors (GPUs of compute capability 3.7 to 8.9), float32 and float64";
  }

  /** @return 150: above the CPU backends when a GPU can run it */
  @Override
  public int priority() {
    return 150;
  }

  /**
   * @return empty once the GPU passed the checks, ND4J started its CUDA backend and the {@link SelfCheck} passed;
   *     else why not: no driver, a driver too old, no device, an unsupported compute capability, CUDA 11 libraries
   *     missing, ND4J failing to start
   */
  @Override
  public Optional<String> unavailableReason() {
    return Startup.FAILURE;
  }

  /** @return whether the only reason is that there is no NVIDIA GPU here (no driver or no device) */
  @Override
  public boolean deviceAbsent() {
    return Startup.ABSENT;
  }

  /** @return ND4J's backend and the GPU, or why unavailable */
  @Override
  public String describe() {
    return Startup.FAILURE.map(why -> "ND4J CUDA: unavailable (" + why + ")")
        .orElseGet(() -> "ND4J CUDA (" + Nd4j.getBackend().getClass().getSimpleName() + "), compute capability "
            + Startup.CAPABILITY / 10 + "." + Startup.CAPABILITY % 10);
  }

  /**
   * @return the factory for ND4J CUDA tensors
   * @throws IllegalStateException if the backend cannot run here
   */
  @Override
  public TensorFactory tensors() {
    Startup.FAILURE.ifPresent(why -> {
      throw new IllegalStateException("backend '" + id() + "' cannot run here: " + why);
    });
    return Startup.FACTORY;
  }

  /**
   * @param error what loading the CUDA 11 bindings threw
   * @return the missing library in the user's terms
   */
  static String explain(Throwable error) {
    return NativeLibraries.missing(error).map(soname -> soname.startsWith("libcuda.so")
        ? "no NVIDIA driver: libcuda.so.1 not found (install the NVIDIA driver, 510 or newer for CUDA 11.6)"
        : "CUDA 11 library " + soname + " not found: install the CUDA 11.6 runtime, cuBLAS and cuSOLVER where the"
            + " dynamic linker finds them (LD_LIBRARY_PATH)")
        .orElseGet(() -> "the CUDA 11.6 bindings failed to load: " + NativeLibraries.messages(error));
  }

  /**
   * @param capability 10·major + minor
   * @return why ND4J's CUDA build cannot run on a GPU of this compute capability, or empty if it can
   */
  static Optional<String> unsupported(int capability) {
    if (capability >= MIN_CAPABILITY && capability <= MAX_CAPABILITY) {
      return Optional.empty();
    }
    return Optional.of("compute capability " + capability / 10 + "." + capability % 10 + " is outside 3.7 to 8.9,"
        + " the GPUs ND4J 1.0.0-M2.1's CUDA 11.6 binaries (sm_37 to sm_86, no PTX) run on; use the cuda backend");
  }

  /** Checks the GPU, then starts ND4J and runs the {@link SelfCheck}, once per JVM. */
  private static final class Startup {
    static final Optional<String> FAILURE;
    static final boolean ABSENT;
    static final int CAPABILITY;
    static final TensorFactory FACTORY;

    static {
      String failure = null;
      boolean absent = false;
      int capability = 0;
      TensorFactory factory = null;
      try {
        int[] count = {0};
        int[] driver = {0};
        int status = cudaGetDeviceCount(count);
        cudaDriverGetVersion(driver);
        if (status == cudaErrorInsufficientDriver) {
          failure = "the NVIDIA driver supports CUDA up to " + driver[0] / 1000 + "." + driver[0] % 1000 / 10
              + "; ND4J's CUDA 11.6 needs driver 510 or newer";
        } else if (status == cudaErrorNoDevice || (status == cudaSuccess && count[0] == 0)) {
          absent = true;
          failure = "no CUDA device";
        } else if (status != cudaSuccess) {
          failure = "cudaGetDeviceCount failed with CUDA error " + status;
        } else {
          int[] major = {0};
          int[] minor = {0};
          cudaDeviceGetAttribute(major, cudaDevAttrComputeCapabilityMajor, 0);
          cudaDeviceGetAttribute(minor, cudaDevAttrComputeCapabilityMinor, 0);
          capability = 10 * major[0] + minor[0];
          failure = unsupported(capability).orElse(null);
        }
        if (failure == null) {
          System.getProperties().putIfAbsent("org.nd4j.log.initialization", "false");
          String backend = Nd4j.getBackend().getClass().getSimpleName();
          if (!backend.startsWith("JCublas")) {
            failure = "ND4J started its " + backend + ", not its CUDA backend";
          } else {
            factory = new Nd4jTensorFactory(Nd4jOps.INSTANCE);
            failure = SelfCheck.verify(factory).map(why -> "self-check failed: " + why).orElse(null);
          }
        }
      } catch (LinkageError e) { // UnsatisfiedLinkError, NoClassDefFoundError, ExceptionInInitializerError
        failure = explain(e);
        absent = failure.startsWith("no NVIDIA driver");
      } catch (RuntimeException e) {
        failure = "ND4J CUDA failed to initialise: " + e;
      }
      FAILURE = Optional.ofNullable(failure);
      ABSENT = absent;
      CAPABILITY = capability;
      FACTORY = failure == null ? factory : null;
    }
  }
}
