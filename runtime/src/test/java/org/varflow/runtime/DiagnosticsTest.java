package org.varflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The diagnostics of history.csv against their definitions: the generalization gap is test − train risk; the path norm
 * (1/m)Σ|a_j|‖w_j‖ and the L²(ρ) norm of a are those of the final particles computed by hand; and the velocity norm is
 * the energy's dissipation, −dE/dt = ‖v‖²_G = |v|²/m for particles, matched by one explicit-Euler step of h = 10⁻⁵.
 */
class DiagnosticsTest {

  @ParameterizedTest
  @ValueSource(strings = {"jvm", "nd4j-cpu"})
  void theDiagnosticsAreWhatTheyAreDefinedToBe(String backend) throws Exception {
    Varflow varflow = Varflow.load(Path.of("no-plugins"));
    int m = 32;
    double h = 1e-5;
    Spec spec = Spec.quickstart().with("backend", backend).with("discretization.width", m).with("solver.step", h)
        .with("solver.steps", 1).with("solver.record_every", 1);
    try (Run run = varflow.prepare(spec)) {
      RunResult result = run.execute(null, RunListener.NONE);
      List<Map<String, Object>> history = result.history();
      Map<String, Object> first = history.get(0);
      Map<String, Object> last = history.get(1);
      assertThat((Double) last.get("generalization_gap"))
          .isEqualTo((Double) last.get("test_risk") - (Double) last.get("train_risk"));

      double[] a = result.parameters().get("a");
      double[] w = result.parameters().get("W");
      int p = w.length / m;
      double path = 0;
      double a2 = 0;
      for (int j = 0; j < m; j++) {
        double norm = 0;
        for (int k = 0; k < p; k++) {
          norm += w[j * p + k] * w[j * p + k];
        }
        path += Math.abs(a[j]) * Math.sqrt(norm) / m;
        a2 += a[j] * a[j] / m;
      }
      assertThat((Double) last.get("path_norm")).isCloseTo(path, within(1e-12 * path));
      assertThat((Double) last.get("a_l2")).isCloseTo(Math.sqrt(a2), within(1e-12 * Math.sqrt(a2)));

      double dissipation = ((Double) first.get("energy") - (Double) last.get("energy")) / h;
      double norm = (Double) first.get("velocity_norm");
      assertThat(dissipation).isCloseTo(norm * norm / m, within(1e-3 * dissipation));
    }
  }
}
