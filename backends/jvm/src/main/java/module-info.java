/**
 * The pure-Java varflow backend: dense float32/float64 tensors on Java arrays, with a multi-threaded,
 * cache-blocked matrix product and a blocked Cholesky solver. No native code; runs wherever Java 17 does.
 *
 * <p>Provides {@link org.varflow.api.tensor.Backend} with id {@code jvm}.
 */
module org.varflow.backend.jvm {
  requires org.varflow.api;
  requires org.varflow.backend.support;
  requires jdk.incubator.vector;

  provides org.varflow.api.tensor.Backend with
      org.varflow.backend.jvm.JvmBackend;
}
