package org.varflow.kit;

import java.util.List;
import java.util.Locale;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.api.tensor.Backend;
import org.varflow.api.tensor.Tensor;

/** What the kits share: the backends they run on, and the comparisons behind their messages. */
final class KitSupport {
  private KitSupport() {}

  /** @return every available backend on the path of the kit's module, highest priority first (found once) */
  static List<Backend> backends() {
    return Found.BACKENDS;
  }

  /** The backends, looked for on first use. */
  private static final class Found {
    static final List<Backend> BACKENDS = PluginRegistry.load(KitSupport.class.getClassLoader()).backends().stream()
        .filter(Backend::isAvailable).toList();
  }

  /** @throws AssertionError when there are fewer than two backends to compare */
  static void requireTwo(List<Backend> backends, String check) {
    if (backends.size() < 2) {
      throw new AssertionError(check + " needs two backends on the test path, found " + backends.stream()
          .map(Backend::id).toList() + "; add varflow-backend-jvm and varflow-backend-nd4j-cpu as test dependencies");
    }
  }

  /** t ← values, in place (0·t + values: exact for finite t). */
  static void set(Tensor t, double[] values) {
    Tensor v = t.factory().of(t.precision(), values, t.shape());
    t.scalei(0).addi(v);
    v.release();
  }

  static double maxAbs(double[] x) {
    double m = 0;
    for (double v : x) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  /** @throws AssertionError {@code label: message} unless {@code ok} */
  static void require(boolean ok, String label, String message) {
    if (!ok) {
      throw new AssertionError(label + ": " + message);
    }
  }

  /** @throws AssertionError naming the first entry where |actual − expected| &gt; tolerance·max|expected| */
  static void close(String label, String what, double[] actual, double[] expected, double tolerance) {
    require(actual.length == expected.length, label, what + ": " + actual.length + " vs " + expected.length + " values");
    double scale = Math.max(maxAbs(expected), 1e-300);
    for (int i = 0; i < actual.length; i++) {
      if (!(Math.abs(actual[i] - expected[i]) <= tolerance * scale)) {
        throw new AssertionError(String.format(Locale.ROOT, "%s: %s differs at [%d]: %.15g vs %.15g (tolerance %.0e of"
            + " max %.3g)", label, what, i, actual[i], expected[i], tolerance, scale));
      }
    }
  }

  /** @return the first five of {@code errors} joined, and how many there are when more */
  static String some(List<String> errors) {
    return String.join("; ", errors.subList(0, Math.min(5, errors.size())))
        + (errors.size() > 5 ? "; ... (" + errors.size() + " coordinates)" : "");
  }
}
