package org.varflow.backend.nd4j.cpu;

import java.io.IOException;
import java.util.Objects;
import java.util.Properties;
import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

/** Process-wide ND4J set-up: quiet start, thread counts, and the environment line for {@code describe()}. */
final class Nd4jRuntime {
  /** ND4J system property that switches its start-up banner (backend, cores, BLAS vendor) on or off. */
  private static final String LOG_INITIALIZATION = "org.nd4j.log.initialization";
  /** ND4J system property that switches its class-path scan for mismatched DL4J artefact versions. */
  private static final String VERSION_CHECK = "org.nd4j.versioncheck";
  /** Environment variable with which a user fixes the OpenMP thread count. */
  private static final String OMP_NUM_THREADS = "OMP_NUM_THREADS";

  private Nd4jRuntime() {}

  /**
   * Loads ND4J and its native libraries, without the start-up banner and version scan unless the user
   * asked for them, and sizes its thread pools to the processors this JVM may use (which honours
   * container CPU limits, where ND4J counts physical cores) unless {@code OMP_NUM_THREADS} is set.
   * Throws whatever ND4J's native loader throws, linkage errors included.
   */
  static void initialise() {
    System.getProperties().putIfAbsent(LOG_INITIALIZATION, "false");
    System.getProperties().putIfAbsent(VERSION_CHECK, "false");
    Environment env = Nd4j.getEnvironment();
    if (System.getenv(OMP_NUM_THREADS) == null) {
      int threads = Runtime.getRuntime().availableProcessors();
      env.setMaxThreads(threads);
      env.setMaxMasterThreads(threads);
      Nd4j.factory().blas().setMaxThreads(threads);
    }
  }

  /** @return e.g. {@code ND4J CPU (CpuBackend), OpenBLAS 0.3.30-1.5.12, 2 OpenMP threads, 2 BLAS threads, 2 cores} */
  static String describe() {
    Properties info = Nd4j.getExecutioner().getEnvironmentInformation();
    return "ND4J CPU (" + Nd4j.getBackend().getClass().getSimpleName() + "), OpenBLAS "
        + openBlasVersion() + ", "
        + info.getOrDefault("omp.threads", "?") + " OpenMP threads, "
        + info.getOrDefault("blas.threads", "?") + " BLAS threads, "
        + info.getOrDefault("cores", "?") + " cores";
  }

  /** @return the version of the OpenBLAS build on the class path, e.g. {@code 0.3.30-1.5.12} */
  private static String openBlasVersion() {
    try {
      return Objects.toString(Loader.getVersion("org.bytedeco", "openblas"), "(version unknown)");
    } catch (IOException e) {
      return "(version unknown: " + e.getMessage() + ")";
    }
  }
}
