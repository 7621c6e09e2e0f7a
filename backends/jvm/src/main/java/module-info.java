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

  // for HostKernels, the fused products through activations that the other CPU backend (nd4j-cpu) uses too; it is
  // an automatic module in the launcher but may sit in the unnamed module of an application, so the export is plain
  exports org.varflow.backend.jvm;

  provides org.varflow.api.tensor.Backend with
      org.varflow.backend.jvm.JvmBackend;
}
