package org.varflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.varflow.api.tensor.Precision;

/**
 * float32 end to end: the stationary solve of each bundled example in float32 tracks float64 on every linear
 * discretization and both backends — the energy to {@value #ENERGY} relative (at the minimizer an error δ in u
 * moves E by O(δ²)), the train and test risks to {@value #RISK} (first order in δ ~ cond(A)·2⁻²⁴). Measured:
 * energy ≤ 2.5e-7, risks ≤ 1.2e-5. And it is float32 that ran: the flow's state tensors are float32, every final
 * parameter is a float32 value (those of the float64 run are not), and each metric differs from float64's by more
 * than {@value #DIFFERENT} relative, which float64 rounding (≈ 10⁻¹⁶ per operation) cannot reach and single
 * precision (2⁻²⁴ ≈ 6·10⁻⁸) does: a {@code precision} that were ignored gives equal numbers and fails.
 */
class Float32Test {
  private static final double ENERGY = 1e-6;
  private static final double RISK = 1e-4;
  private static final double DIFFERENT = 1e-12;
  private static final Varflow VARFLOW = Varflow.load(null);

  /** Runs {@code spec} in {@code precision}: @return its last row, the flow's state and parameters checked */
  private static Map<String, Object> last(Spec spec, Precision precision) throws Exception {
    try (Run run = VARFLOW.prepare(spec.with("precision", precision.id()))) {
      RunResult result = run.execute(null, RunListener.NONE);
      assertThat(result.status()).isEqualTo("completed");
      run.flow().state().forEach((name, t) -> assertThat(t.precision()).as("state %s", name).isEqualTo(precision));
      long single = 0;
      long values = 0;
      for (double[] p : result.parameters().values()) {
        for (double v : p) {
          single += (double) (float) v == v ? 1 : 0;
          values++;
        }
      }
      assertThat(values).isPositive();
      if (precision == Precision.FLOAT32) {
        assertThat(single).as("float32 parameters").isEqualTo(values);
      } else {
        assertThat(single).as("float64 parameters that are float32 values").isLessThan(values);
      }
      return result.last();
    }
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
    "random-features.yaml, random-features, jvm", "random-features.yaml, random-features, nd4j-cpu",
    "random-features.yaml, kernel, jvm", "random-features.yaml, kernel, nd4j-cpu",
    "density.yaml, grid, jvm", "density.yaml, grid, nd4j-cpu",
    "density.yaml, spectral, jvm", "density.yaml, spectral, nd4j-cpu"})
  void float32TracksFloat64(String example, String discretization, String backend) throws Exception {
    Spec spec = Spec.load(ProjectRoot.resolve("examples/" + example)).with("backend", backend).with("discretization",
        discretization.equals("random-features") ? Map.of("kind", discretization, "width", 500)
            : Map.of("kind", discretization));
    Map<String, Object> f64 = last(spec, Precision.FLOAT64);
    Map<String, Object> f32 = last(spec, Precision.FLOAT32);
    for (String metric : new String[] {"train_risk", "test_risk", "energy"}) {
      double a = (Double) f64.get(metric);
      double b = (Double) f32.get(metric);
      System.out.printf("[%s %s] %s float64 %.9g float32 %.9g rel %.2e%n", discretization, backend, metric, a, b,
          Math.abs(b - a) / a);
      assertThat(b).as(metric).isCloseTo(a, offset((metric.equals("energy") ? ENERGY : RISK) * a))
          .isNotCloseTo(a, offset(DIFFERENT * a));
    }
  }
}
