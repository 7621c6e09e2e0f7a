/**
 * What a backend author uses beside the {@code Tensor} SPI of the api: {@link org.varflow.backend.support.Operands}
 * (argument checks with the messages every backend gives), {@link org.varflow.backend.support.SelfCheck} (known
 * answers a backend reproduces before it is used), {@link org.varflow.backend.support.StoragePool} (storage reused
 * when a tensor's lifetime ends) and {@link org.varflow.backend.support.NativeLibraries} (loading a backend's native
 * libraries, reporting what is missing). Plugins of other kinds need none of it.
 */
module org.varflow.backend.support {
  requires transitive org.varflow.api;

  exports org.varflow.backend.support;
}
