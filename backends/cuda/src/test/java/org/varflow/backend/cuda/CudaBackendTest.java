package org.varflow.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.api.tensor.Backend;

/**
 * The cuda backend on this machine: without an NVIDIA driver (CI) it must say so precisely and stay out of the way;
 * with one, it must be available (the self-check then ran on the GPU). Its numbers are checked by the backend
 * conformance suite run on a GPU machine ({@code bench/gpu-check.sh}).
 */
class CudaBackendTest {
  /** The kernel driver's marker: present exactly when an NVIDIA driver is loaded. */
  private static final boolean DRIVER = Files.exists(Path.of("/proc/driver/nvidia/version"));

  @Test
  void isFoundByTheRegistryWithoutLoadingAnything() {
    List<Backend> backends = PluginRegistry.load(getClass().getClassLoader()).backends();
    assertThat(backends).extracting(Backend::id).contains("cuda");
    Backend cuda = backends.stream().filter(b -> b.id().equals("cuda")).findFirst().orElseThrow();
    assertThat(cuda.priority()).isGreaterThan(100); // above nd4j-cpu under backend: auto
  }

  @Test
  void withoutADriverItIsUnavailableAndSaysSo() {
    assumeFalse(DRIVER, "an NVIDIA driver is loaded here");
    CudaBackend cuda = new CudaBackend();
    assertThat(cuda.isAvailable()).isFalse();
    assertThat(cuda.unavailableReason().orElseThrow()).startsWith("no NVIDIA driver: libcuda.so.1 not found");
    assertThat(cuda.describe()).startsWith("CUDA: unavailable (no NVIDIA driver");
    assertThat(cuda.availableBytes()).isEmpty();
    assertThat(cuda.deviceAbsent()).isTrue(); // so backend: auto passes over it without a warning
    assertThatThrownBy(cuda::tensors).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("backend 'cuda' cannot run here: no NVIDIA driver");
  }

  @Test
  void withADriverItIsAvailable() {
    assumeTrue(DRIVER, "no NVIDIA driver here");
    CudaBackend cuda = new CudaBackend();
    assertThat(cuda.unavailableReason()).isEmpty();
    assertThat(cuda.describe()).startsWith("CUDA 13.");
    assertThat(cuda.availableBytes().orElseThrow()).isPositive();
  }

  @Test
  void aMissingToolkitLibraryIsNamedWithWhereItWasSought(@TempDir Path dir) {
    CudaLibraries libraries = new CudaLibraries(List.of(dir));
    String reason = libraries.explain(new UnsatisfiedLinkError("/home/u/.javacpp/cache/libjnicublas.so:"
        + " libcublasLt.so.13: cannot open shared object file: No such file or directory"));
    assertThat(reason).isEqualTo("CUDA 13 library libcublasLt.so.13 not found; searched [" + dir + "] and the"
        + " dynamic linker's path; set VARFLOW_CUDA_PATH to the directory that holds it");
    assertThat(libraries.explain(new UnsatisfiedLinkError("libjnicudart.so: libcuda.so.1: cannot open shared object"
        + " file: No such file or directory"))).startsWith("no NVIDIA driver: libcuda.so.1 not found");
    assertThat(libraries.explain(new UnsatisfiedLinkError("wrong ELF class: ELFCLASS32")))
        .isEqualTo("the CUDA bindings failed to load: wrong ELF class: ELFCLASS32");
  }

  @Test
  void searchPathPutsExplicitDirectoriesFirstAndFindsPythonWheels(@TempDir Path dir) throws Exception {
    Path explicit = Files.createDirectories(dir.resolve("mine"));
    Path fromEnv = Files.createDirectories(dir.resolve("env"));
    Path home = Files.createDirectories(dir.resolve("cuda-home/lib64"));
    Path wheel = Files.createDirectories(dir.resolve("venv/lib/python3.12/site-packages/nvidia/cu13/lib"));
    List<Path> path = CudaLibraries.searchPath(explicit.toString(), Map.of("VARFLOW_CUDA_PATH",
        fromEnv + ":" + dir.resolve("absent"), "CUDA_HOME", dir.resolve("cuda-home").toString(), "VIRTUAL_ENV",
        dir.resolve("venv").toString()));
    assertThat(path).startsWith(explicit, fromEnv, home).contains(wheel).doesNotContain(dir.resolve("absent"));

    Files.writeString(wheel.resolve("libcublas.so.13"), "");
    assertThat(new CudaLibraries(path).find("libcublas.so.13")).contains(wheel.resolve("libcublas.so.13"));
    assertThat(new CudaLibraries(path).find("libnvrtc.so.13")).isEmpty();
  }
}
