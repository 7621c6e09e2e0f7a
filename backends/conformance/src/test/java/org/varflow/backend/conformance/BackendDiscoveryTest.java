package org.varflow.backend.conformance;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.varflow.api.tensor.Backend;

/**
 * The suite runs against what the registry finds, so a broken class path fails here rather than
 * silently shrinking the suite: every backend found must be able to compute unless the device it drives is
 * absent from this machine (a GPU backend without a GPU), and every backend named in the system property
 * {@value #EXPECTED} (comma-separated ids; this build names its own two, a third-party backend's build names
 * its own id, the GPU check names {@code cuda}) must be found and able to compute.
 */
class BackendDiscoveryTest {
  static final String EXPECTED = "varflow.conformance.backends";

  @Test
  void everyBackendFoundComputes() {
    assertFalse(Target.BACKENDS.isEmpty(), "no backend on the test class path");
    for (Backend b : Target.BACKENDS.stream().filter(b -> !b.deviceAbsent()).toList()) {
      assertTrue(b.isAvailable(), () -> "backend '" + b.id() + "' unavailable: " + b.unavailableReason().orElse(""));
      assertFalse(b.describe().isBlank(), b.id() + " describes itself");
    }
  }

  @Test
  void expectedBackendsAreFound() {
    List<String> expected = Arrays.stream(System.getProperty(EXPECTED, "").split(","))
        .map(String::strip).filter(s -> !s.isEmpty()).toList();
    Set<String> found = Target.BACKENDS.stream().map(Backend::id).collect(Collectors.toSet());
    for (String id : expected) {
      assertTrue(found.contains(id), "backend '" + id + "' not found by the registry; found " + found);
      Backend b = Target.BACKENDS.stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
      assertTrue(b.isAvailable(), () -> "backend '" + id + "' unavailable: " + b.unavailableReason().orElse(""));
    }
  }
}
