package org.varflow.discretization.spectral;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The convergence check of the spectral tests, on synthetic errors: it must reject power laws and accept geometric decay. */
class GeometricCheckTest {
  private static final int[] DEGREES = {2, 4, 6, 8, 10, 12, 14};

  private static double[] errors(IntToDoubleFunction e) {
    return IntStream.of(DEGREES).mapToDouble(e).toArray();
  }

  /** e_P = C P^{−p}, for slow and fast p and any constant: the line in log P fits exactly. */
  @ParameterizedTest
  @ValueSource(doubles = {1, 2, 4, 8, 16, 32})
  void rejectsEveryPowerLaw(double p) {
    for (double c : new double[] {1e-3, 1, 1e3}) {
      assertThat(Fixtures.geometricFailure(DEGREES, errors(degree -> c * Math.pow(degree, -p))))
          .as("C = %g, p = %g", c, p).isPresent();
    }
  }

  /**
   * A power law measured against the method's own solution at P = 24 (e_P = P^{−p} − 24^{−p}) steepens on a
   * log–log plot, which fooled the check this one replaced; it still fails here.
   */
  @ParameterizedTest
  @ValueSource(doubles = {1, 2, 3, 4, 8})
  void rejectsAPowerLawAgainstANearbyReference(double p) {
    assertThat(Fixtures.geometricFailure(DEGREES, errors(degree -> Math.pow(degree, -p) - Math.pow(24, -p))))
        .isPresent();
  }

  /** e_P = C ρ^{−P} with e_{P+2}/e_P = ρ^{−2} ≤ 1/9, also with a ±30% scatter around it. */
  @ParameterizedTest
  @ValueSource(doubles = {3, 4, 8})
  void acceptsGeometricDecay(double rho) {
    double[] scatter = {1, 1.3, 0.8, 1.2, 0.75, 1.25, 0.9};
    assertThat(Fixtures.geometricFailure(DEGREES, errors(degree -> 5 * Math.pow(rho, -degree)))).isEmpty();
    assertThat(Fixtures.geometricFailure(DEGREES, errors(degree -> scatter[degree / 2 - 1] * Math.pow(rho, -degree))))
        .isEmpty();
  }

  /** Geometric but slower than the margin (ρ = 1.5: e_{P+2}/e_P = 0.44) is rejected by the ratio bound. */
  @ParameterizedTest
  @ValueSource(doubles = {1.1, 1.5})
  void rejectsDecayBelowTheMargin(double rho) {
    assertThat(Fixtures.geometricFailure(DEGREES, errors(degree -> Math.pow(rho, -degree))))
        .hasValueSatisfying(why -> assertThat(why).startsWith("e_4/e_2"));
  }
}
