package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.varflow.api.io.Npy;

/**
 * {@code discretization.init: {kind: gaussian, a_scale, w_scale}}: a_j ~ N(0, a_scale²) and w_j ~ N(0, w_scale² I/p),
 * p the input dimension with the bias column, as the README says. Read from the parameters after one step of
 * h = 1e-12 (a step moves them by ~1e-12, far below the sampling error). With m = 4000 particles the sample standard
 * deviation of the 4000·p entries of W must be within 4 standard errors (4/√(2·4000·p): 1.4% relative at p = 10, 2.6%
 * at p = 3) of w_scale/√p (leaving out the bias column would be 4.9% off at p = 11, w_scale/p 68% at p = 10), that of a
 * within 4/√8000 = 4.5% of a_scale, and both means within 4 standard errors of 0.
 */
class InitScaleTest {
  private static final int M = 4000;

  @TempDir
  Path tmp;

  @ParameterizedTest
  @CsvSource({"10, false, 3.0, 0.5", "10, true, 0.2, 2.0", "3, false, 1.0, 1.0"})
  void theInitialParticlesHaveTheDocumentedSpread(int d, boolean bias, double wScale, double aScale) throws Exception {
    Path dir = tmp.resolve("run");
    Cli cli = Cli.run("run", "--set", "backend=jvm", "--set", "data.train.n=50", "--set", "data.test.n=50", "--set",
        "data.train.d=" + d, "--set", "data.test.d=" + d, "--set", "model.bias=" + bias, "--set",
        "discretization.width=" + M, "--set", "discretization.init={kind: gaussian, a_scale: " + aScale + ", w_scale: "
        + wScale + "}", "--set", "solver.step=1.0e-12", "--set", "solver.steps=1", "--out", dir.toString());
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    int p = d + (bias ? 1 : 0);
    Npy.Array w = Npy.read(dir.resolve("params/W.npy"));
    assertThat(w.shape()).containsExactly(M, p);
    double[] a = Npy.read(dir.resolve("params/a.npy")).data();

    double wStd = wScale / Math.sqrt(p);
    int n = M * p;
    assertThat(std(w.data())).isCloseTo(wStd, within(4 * wStd / Math.sqrt(2.0 * n)));
    assertThat(mean(w.data())).isCloseTo(0, within(4 * wStd / Math.sqrt(n)));
    assertThat(std(a)).isCloseTo(aScale, within(4 * aScale / Math.sqrt(2.0 * M)));
    assertThat(mean(a)).isCloseTo(0, within(4 * aScale / Math.sqrt(M)));
  }

  private static double mean(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s / x.length;
  }

  private static double std(double[] x) {
    double m = mean(x);
    double s = 0;
    for (double v : x) {
      s += (v - m) * (v - m);
    }
    return Math.sqrt(s / (x.length - 1));
  }
}
