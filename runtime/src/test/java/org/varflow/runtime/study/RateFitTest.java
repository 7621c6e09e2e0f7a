package org.varflow.runtime.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The rate fit: Student's t quantiles against their tabulated values, an exact power law recovered exactly, and the
 * 95% interval covering the true slope of noisy power laws 95% of the time.
 */
class RateFitTest {

  @Test
  void studentQuantilesAreTheTabulatedOnes() {
    assertThat(RateFit.studentQuantile(0.975, 1)).isCloseTo(12.7062047, within(1e-6));
    assertThat(RateFit.studentQuantile(0.975, 3)).isCloseTo(3.1824463, within(1e-6));
    assertThat(RateFit.studentQuantile(0.975, 10)).isCloseTo(2.2281389, within(1e-6));
    assertThat(RateFit.studentQuantile(0.975, 30)).isCloseTo(2.0422725, within(1e-6));
  }

  @Test
  void anExactPowerLawIsRecoveredExactly() {
    double[] x = {10, 20, 40, 80, 160};
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = 3 * Math.pow(x[i], -1.5);
    }
    RateFit fit = RateFit.of(x, y);
    assertThat(fit.slope()).isCloseTo(-1.5, within(1e-12));
    assertThat(fit.at(50)).isCloseTo(3 * Math.pow(50, -1.5), within(1e-12));
    assertThat(fit.r2()).isCloseTo(1, within(1e-12));
    assertThat(fit.high() - fit.low()).isLessThan(1e-6);
    assertThat(fit.points()).isEqualTo(5);
    RateFit two = RateFit.of(new double[] {1, 4}, new double[] {1, 0.25});
    assertThat(two.slope()).isCloseTo(-1, within(1e-15));
    assertThat(two.low()).isNaN();
  }

  @Test
  void anExactExponentialIsRecoveredExactlyOnSemiLogAxes() {
    double[] x = {-1, 0, 5, 10, 20};
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = 3 * Math.exp(-0.7 * x[i]);
    }
    RateFit fit = RateFit.of(RateFit.Scale.SEMI_LOG, x, y);
    assertThat(fit.slope()).isCloseTo(-0.7, within(1e-12));
    assertThat(fit.at(7)).isCloseTo(3 * Math.exp(-4.9), within(1e-14));
    assertThat(fit.r2()).isCloseTo(1, within(1e-12));
    assertThat(fit.high() - fit.low()).isLessThan(1e-6);
    assertThat(fit.law("t")).isEqualTo("~ exp(-0.7000·t)");
  }

  /** y = 2·x^−1 · e^{0.2ξ}, ξ ~ N(0, 1), six widths: the interval holds −1 in 95% of 2000 draws (±1.5%). */
  @Test
  void theIntervalCoversTheTrueSlopeNinetyFivePercentOfTheTime() {
    SplittableRandom rng = new SplittableRandom(7);
    double[] x = {100, 200, 400, 800, 1600, 3200};
    int covered = 0;
    int draws = 2000;
    double slopes = 0;
    for (int k = 0; k < draws; k++) {
      double[] y = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        y[i] = 2 / x[i] * Math.exp(0.2 * rng.nextGaussian());
      }
      RateFit fit = RateFit.of(x, y);
      slopes += fit.slope() / draws;
      if (fit.low() <= -1 && -1 <= fit.high()) {
        covered++;
      }
    }
    assertThat(covered / (double) draws).isBetween(0.935, 0.965);
    assertThat(slopes).isCloseTo(-1, within(0.01));
  }
}
