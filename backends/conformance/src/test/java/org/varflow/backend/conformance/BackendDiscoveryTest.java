package org.varflow.backend.conformance;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.varflow.api.tensor.Backend;

/** The suite's class path must hold both backends, each able to compute: a broken path fails here. */
class BackendDiscoveryTest {

  @Test
  void bothBackendsAreFoundAndAvailable() {
    Map<String, Backend> byId = Target.BACKENDS.stream().collect(Collectors.toMap(Backend::id, Function.identity()));
    for (String id : List.of("jvm", "nd4j-cpu")) {
      Backend b = byId.get(id);
      assertTrue(b != null, "backend '" + id + "' not found by the registry; found " + byId.keySet());
      assertTrue(b.isAvailable(), () -> "backend '" + id + "' unavailable: " + b.unavailableReason().orElse(""));
      assertFalse(b.describe().isBlank(), id + " describes itself");
    }
  }
}
