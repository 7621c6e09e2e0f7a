package org.varflow.backend.jvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.api.tensor.Backend;

/** The backend's identity and its service registration on the module path and the class path. */
class JvmBackendTest {

  @Test
  void describesItself() {
    Backend backend = new JvmBackend();

    assertThat(backend.id()).isEqualTo("jvm");
    assertThat(backend.priority()).isEqualTo(10);
    assertThat(backend.isAvailable()).isTrue();
    assertThat(backend.unavailableReason()).isEmpty();
    assertThat(backend.describe()).startsWith("pure Java ").contains(Parallel.THREADS + " threads").doesNotContain("\n");
    assertThat(backend.description()).doesNotContain("\n");
    assertThat(backend.tensors()).isSameAs(backend.tensors());
  }

  @Test
  void isFoundByTheRegistry() {
    Backend found = PluginRegistry.load(JvmBackend.class.getClassLoader()).backend("jvm");

    assertThat(found).isInstanceOf(JvmBackend.class);
  }

  @Test
  void isRegisteredAsAServiceForBothPaths() throws IOException {
    ModuleDescriptor descriptor = JvmBackend.class.getModule().getDescriptor();
    String services;
    try (InputStream in = JvmBackend.class.getResourceAsStream("/META-INF/services/org.varflow.api.tensor.Backend")) {
      services = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    assertThat(descriptor.name()).isEqualTo("org.varflow.backend.jvm");
    assertThat(descriptor.provides()).anySatisfy(p -> {
      assertThat(p.service()).isEqualTo(Backend.class.getName());
      assertThat(p.providers()).containsExactly(JvmBackend.class.getName());
    });
    assertThat(services.trim()).isEqualTo(JvmBackend.class.getName());
  }
}
