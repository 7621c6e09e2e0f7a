package org.varflow.backend.nd4j.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.varflow.backend.support.SelfCheck;

/**
 * The ND4J CUDA backend says precisely why it cannot run (tested on machines without a GPU), refuses GPUs its
 * binaries were not built for before ND4J starts, and passes the self-check where it runs.
 */
class Nd4jCudaBackendTest {
  private static final boolean DRIVER = Files.exists(Path.of("/proc/driver/nvidia/version"));

  @Test
  void withoutADriverItIsUnavailableAndSaysSo() {
    assumeFalse(DRIVER, "an NVIDIA driver is loaded here");
    Nd4jCudaBackend backend = new Nd4jCudaBackend();
    assertThat(backend.unavailableReason()).hasValueSatisfying(why -> assertThat(why)
        .startsWith("no NVIDIA driver: libcuda.so.1 not found (install the NVIDIA driver, 510 or newer"));
    assertThat(backend.deviceAbsent()).isTrue();
    assertThat(backend.describe()).startsWith("ND4J CUDA: unavailable (no NVIDIA driver");
    assertThatThrownBy(backend::tensors).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("backend 'nd4j-cuda' cannot run here: no NVIDIA driver");
  }

  @Test
  void withAGpuItRunsOrNamesWhatIsMissing() {
    assumeTrue(DRIVER, "no NVIDIA driver here");
    Nd4jCudaBackend backend = new Nd4jCudaBackend();
    backend.unavailableReason().ifPresentOrElse(
        why -> assertThat(why).matches("compute capability .*|CUDA 11 library .*|no CUDA device|the NVIDIA driver .*"),
        () -> assertThat(SelfCheck.verify(backend.tensors())).isEmpty());
  }

  @Test
  void computeCapabilitiesOutsideTheBinariesAreRefused() {
    assertThat(Nd4jCudaBackend.unsupported(90)).hasValue("compute capability 9.0 is outside 3.7 to 8.9, the GPUs"
        + " ND4J 1.0.0-M2.1's CUDA 11.6 binaries (sm_37 to sm_86, no PTX) run on; use the cuda backend");
    assertThat(Nd4jCudaBackend.unsupported(35)).isPresent();
    assertThat(Nd4jCudaBackend.unsupported(37)).isEmpty();
    assertThat(Nd4jCudaBackend.unsupported(86)).isEmpty();
    assertThat(Nd4jCudaBackend.unsupported(89)).isEmpty(); // sm_86 binaries run on 8.9 (same major, higher minor)
    assertThat(Nd4jCudaBackend.unsupported(100)).isPresent();
  }

  @Test
  void aMissingCudaLibraryIsNamed() {
    assertThat(Nd4jCudaBackend.explain(new UnsatisfiedLinkError("/x/libjnicudart.so: libcudart.so.11.0: cannot open shared object file")))
        .startsWith("CUDA 11 library libcudart.so.11.0 not found");
    assertThat(Nd4jCudaBackend.explain(new UnsatisfiedLinkError("libjnicudart.so: libcuda.so.1: cannot open shared object file")))
        .startsWith("no NVIDIA driver");
  }
}
