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
  /** System property with the thread count of libnd4j's own (non-BLAS) ops. */
  static final String OPS_THREADS_PROPERTY = "varflow.nd4j.threads";
  /** Up to this many processors libnd4j's own ops run on one thread by default. */
  private static final int SMALL_MACHINE = 4;

  /** BLAS threads asked for by {@link #threadsPerRun}; 0: every processor. */
  private static volatile int blasThreads;
  /** Whether {@link #initialise} has sized the pools (after which a new limit applies at once). */
  private static volatile boolean started;

  private Nd4jRuntime() {}

  /**
   * Loads ND4J and its native libraries, without the start-up banner and version scan unless the user
   * asked for them, and sizes its thread pools unless {@code OMP_NUM_THREADS} is set: BLAS on every processor
   * this JVM may use (which honours container CPU limits, where ND4J counts physical cores); libnd4j's own,
   * memory-bound ops on {@value #OPS_THREADS_PROPERTY} threads, by default one on machines with at most
   * {@value #SMALL_MACHINE} processors and all of them above. libnd4j's OpenMP workers spin-wait between
   * calls and take the cores from OpenBLAS's threads: on 2 cores one libnd4j thread made the particle step
   * 8× faster at n = 1024, m = 256 (20 ms → 2.1 ms, almost all of it waiting), 1.6× at m = 2048 and 6% at
   * m = 4096. Throws whatever ND4J's native loader throws, linkage errors included.
   */
  static synchronized void initialise() {
    System.getProperties().putIfAbsent(LOG_INITIALIZATION, "false");
    System.getProperties().putIfAbsent(VERSION_CHECK, "false");
    Environment env = Nd4j.getEnvironment();
    if (System.getenv(OMP_NUM_THREADS) == null) {
      int processors = Runtime.getRuntime().availableProcessors();
      int ops = Integer.getInteger(OPS_THREADS_PROPERTY, processors <= SMALL_MACHINE ? 1 : processors);
      env.setMaxThreads(ops);
      env.setMaxMasterThreads(ops);
      Nd4j.factory().blas().setMaxThreads(blasThreads());
    }
    started = true;
  }

  /**
   * Runs made at the same time share the BLAS threads: each call into OpenBLAS uses at most {@code threads} of
   * them (0: every processor), now if ND4J has started, else when it starts; a set {@code OMP_NUM_THREADS} wins.
   */
  static synchronized void threadsPerRun(int threads) {
    blasThreads = threads;
    if (started && System.getenv(OMP_NUM_THREADS) == null) {
      Nd4j.factory().blas().setMaxThreads(blasThreads());
    }
  }

  /** @return the BLAS threads per call: those asked for by {@link #threadsPerRun}, else every processor */
  private static int blasThreads() {
    return blasThreads > 0 ? blasThreads : Runtime.getRuntime().availableProcessors();
  }

  /** @return e.g. {@code ND4J CPU (CpuBackend), OpenBLAS 0.3.31-1.5.13, 1 op thread, 2 BLAS threads, 2 cores} */
  static String describe() {
    Properties info = Nd4j.getExecutioner().getEnvironmentInformation();
    return "ND4J CPU (" + Nd4j.getBackend().getClass().getSimpleName() + "), OpenBLAS "
        + openBlasVersion() + ", "
        + count(Nd4j.getEnvironment().maxMasterThreads(), "op thread") + ", "
        + info.getOrDefault("blas.threads", "?") + " BLAS threads, "
        + info.getOrDefault("cores", "?") + " cores";
  }

  private static String count(Object n, String noun) {
    return n + " " + noun + ("1".equals(n.toString()) ? "" : "s");
  }

  /** @return the version of the OpenBLAS build on the class path, e.g. {@code 0.3.31-1.5.13} */
  private static String openBlasVersion() {
    try {
      return Objects.toString(Loader.getVersion("org.bytedeco", "openblas"), "(version unknown)");
    } catch (IOException e) {
      return "(version unknown: " + e.getMessage() + ")";
    }
  }
}
