package org.varflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.varflow.api.flow.LinearFlow;
import org.varflow.api.io.Npy;
import org.varflow.api.tensor.Precision;

/**
 * The numbers {@code varflow check} prints, against what they claim: L against a dense eigen-solve of A, the
 * explicit step 2/L against the behaviour of explicit Euler on either side of it, cond(A) ≤ L/μ, and the
 * random-feature data-stability bound against solves on perturbed labels.
 */
class CheckReportTest {
  private static final Varflow VARFLOW = Varflow.load(null);
  private static final double ALPHA = 1e-3;

  @TempDir
  Path tmp;

  /** A small problem of each linear discretization: m = 60 random features, a 9 × 9 grid, degree-5 spectral. */
  private static Spec spec(String discretization, String backend) {
    Spec spec = discretization.equals("random-features")
        ? Spec.load(ProjectRoot.resolve("examples/random-features.yaml")).with("discretization.width", 60)
            .with("data.train.n", 80).with("regularizers[0].strength", ALPHA)
        : Spec.load(ProjectRoot.resolve("examples/density.yaml")).with("data.train.n", 60)
            .with("discretization", discretization.equals("grid") ? Map.of("kind", "grid", "points", 9)
                : Map.of("kind", "spectral", "degree", 5));
    return spec.with("backend", backend);
  }

  private static double lipschitz(CheckReport report) {
    return (Double) report.rows().get(CheckReport.LIPSCHITZ);
  }

  /** The number printed after {@code prefix} in the report row {@code row}. */
  private static double printed(CheckReport report, String row, String prefix) {
    Matcher m = Pattern.compile(Pattern.quote(prefix) + "\\s*([-+0-9.eE]+)").matcher((String) report.rows().get(row));
    assertThat(m.find()).as("row %s: %s", row, report.rows().get(row)).isTrue();
    return Double.parseDouble(m.group(1));
  }

  /**
   * λ_max(A) ≤ L ≤ λ_max(A)(1 + 10⁻⁴) and λ_max/λ_min ≤ L/μ, i.e. λ_min(A) ≥ μ, with the eigenvalues of the dense,
   * symmetric A by Jacobi rotations.
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"random-features, jvm", "random-features, nd4j-cpu", "grid, jvm", "grid, nd4j-cpu", "spectral, jvm",
      "spectral, nd4j-cpu"})
  void lBoundsTheSpectrumFromAboveAndMuFromBelow(String discretization, String backend) {
    try (Run run = VARFLOW.prepare(spec(discretization, backend))) {
      CheckReport report = run.check();
      double l = lipschitz(report);
      double bound = printed(report, "conditioning", "L/μ =");
      double[] eigenvalues = eigenvalues(run.flow().linear().orElseThrow());
      double max = eigenvalues[eigenvalues.length - 1];
      double min = eigenvalues[0];
      System.out.printf("[%s %s] λ ∈ [%.6g, %.6g], L = %.10g (L/λ_max − 1 = %.2e), cond %.6g ≤ L/μ = %.6g%n",
          discretization, backend, min, max, l, l / max - 1, max / min, bound);
      assertThat(l).isGreaterThanOrEqualTo(max).isLessThanOrEqualTo(max * (1 + 1e-4));
      assertThat(max / min).isLessThanOrEqualTo(bound * (1 + 1e-6)); // printed to 6 digits
      assertThat(min).isGreaterThanOrEqualTo(l / bound * (1 - 1e-6));
    }
  }

  /**
   * For h < 2/λ_max explicit Euler on the quadratic energy decreases it at every step
   * (E(u − hg) − E(u) = −h‖g‖²(1 − hgᵀAg/(2‖g‖²)) &lt; 0); for h > 2/λ_max the top mode grows by |1 − hλ_max| > 1
   * per step until the energy overflows. At h = 0.95·(2/L) and 1.05·(2/L).
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"random-features, jvm", "random-features, nd4j-cpu", "grid, jvm", "grid, nd4j-cpu"})
  void explicitEulerIsStableJustBelowTwoOverLAndDivergesJustAbove(String discretization, String backend)
      throws Exception {
    Spec spec = spec(discretization, backend);
    double l;
    try (Run run = VARFLOW.prepare(spec)) {
      l = lipschitz(run.check());
    }
    int steps = 8000;
    RunResult below = solve(spec.with("solver", euler(0.95 * 2 / l, 2000, 1)));
    assertThat(below.status()).isEqualTo("completed");
    List<Map<String, Object>> history = below.history();
    assertThat(history).hasSize(2001);
    for (int k = 1; k < history.size(); k++) {
      assertThat((Double) history.get(k).get("energy")).as("energy at step %d", k)
          .isLessThan((Double) history.get(k - 1).get("energy"));
    }
    RunResult above = solve(spec.with("solver", euler(1.05 * 2 / l, steps, 100)));
    assertThat(above.status()).isEqualTo("diverged");
    System.out.printf("[%s %s] h = 1.05·2/L diverged at step %d of %d%n", discretization, backend,
        above.steps(), steps);
  }

  private static Map<String, Object> euler(double step, int steps, int recordEvery) {
    return Map.of("kind", "explicit-euler", "step", step, "steps", steps, "record_every", recordEvery);
  }

  private static RunResult solve(Spec spec) throws Exception {
    try (Run run = VARFLOW.prepare(spec)) {
      return run.execute(null, RunListener.NONE);
    }
  }

  /**
   * ‖a*(y) − a*(y')‖_{L²(π)} ≤ ‖y − y'‖_rms/(2√α), the bound {@code check} prints: the solution map S is
   * (T*T + α)⁻¹T*, of norm max_s s/(s² + α) ≤ 1/(2√α) over the singular values s of T, s² the eigenvalues of
   * A − α. Measured on labels perturbed by 0.1·N(0, 1) noise (8 draws), and the exact norm from the spectrum of A
   * lies below the bound and within a factor 2 of it (the bound is attained where s = √α).
   *
   * <p>The labels also move the minimizer as much as S says, not less: for i.i.d. noise of variance σ² the
   * coefficients of Δy in an rms-orthonormal basis are N(0, σ²/n), so E‖SΔy‖² = (σ²/n) Σ_k s_k²/(s_k² + α)², and
   * the ratio ‖Δa‖/‖Δy‖_rms has the rms value ρ = √((1/n) Σ_k (λ_k − α)/λ_k²) (measured: ρ = 6.10, draws 5.3 to
   * 7.2). ratio²/ρ² is a weighted χ² over ν = (Σw)²/Σw² ≈ 19.5 effective degrees of freedom (w_k the terms of the
   * sum), so each ratio is above ρ/2 (P(χ²_ν/ν &lt; 1/4) ≈ 10⁻⁴ per draw), the mean of ratio² over the 8 draws is
   * within 30% of ρ² (relative spread √(2/ν)/√8 ≈ 0.11, and √(2/n)/√8 ≈ 0.06 from ‖Δy‖_rms; measured +9.5%),
   * and the worst ratio lies between ρ (all 8 below it has probability ≈ 0.53⁸ &lt; 1%; measured 7.24) and the
   * norm of S. Labels that were ignored (Δa = 0) or a solution map shrunk by a constant fail these.
   */
  @ParameterizedTest
  @ValueSource(strings = {"jvm", "nd4j-cpu"})
  void randomFeatureMinimizerMovesNoMoreThanTheStabilityBound(String backend) throws Exception {
    int n = 80;
    int d = 3;
    SplittableRandom rng = new SplittableRandom(11);
    double[] x = new double[n * d];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        x[i * d + k] = rng.nextDouble(-1, 1);
      }
      y[i] = Math.sin(2 * x[i * d]) + x[i * d + 1] * x[i * d + 2];
    }
    Npy.write(tmp.resolve("X.npy"), x, new int[] {n, d}, Precision.FLOAT64);
    Npy.write(tmp.resolve("y.npy"), y, new int[] {n}, Precision.FLOAT64);
    Spec spec = spec("random-features", backend).with("data", Map.of("train", Map.of("x", "X.npy", "y", "y.npy")));
    spec = new Spec("stability", spec.root(), tmp); // the label files lie in tmp
    double bound;
    double[] spectrum;
    try (Run run = VARFLOW.prepare(spec)) {
      bound = printed(run.check(), "data stability", "i.e. ≤");
      spectrum = eigenvalues(run.flow().linear().orElseThrow());
    }
    double norm = Arrays.stream(spectrum).map(lambda -> Math.sqrt(Math.max(0, lambda - ALPHA)) / lambda).max()
        .orElseThrow();
    assertThat(bound).isCloseTo(1 / (2 * Math.sqrt(ALPHA)), offset(1e-4 * bound));
    assertThat(norm).isLessThanOrEqualTo(bound).isGreaterThan(bound / 2);
    double[] w = Arrays.stream(spectrum).map(lambda -> Math.max(0, lambda - ALPHA) / (lambda * lambda)).toArray();
    double rms = Math.sqrt(Arrays.stream(w).sum() / n);
    double dof = Math.pow(Arrays.stream(w).sum(), 2) / Arrays.stream(w).map(v -> v * v).sum();
    assertThat(dof).as("effective degrees of freedom of ratio²").isGreaterThan(10);
    double[] a = solve(spec).parameters().get("a");
    double worst = 0;
    double meanSquare = 0;
    for (int draw = 0; draw < 8; draw++) {
      double[] perturbed = y.clone();
      double dy = 0;
      for (int i = 0; i < n; i++) {
        double e = 0.1 * rng.nextGaussian();
        perturbed[i] += e;
        dy += e * e / n;
      }
      Npy.write(tmp.resolve("y2.npy"), perturbed, new int[] {n}, Precision.FLOAT64);
      double[] b = solve(spec.with("data.train.y", "y2.npy")).parameters().get("a");
      double da = 0;
      for (int j = 0; j < a.length; j++) {
        da += (a[j] - b[j]) * (a[j] - b[j]) / a.length;
      }
      double ratio = Math.sqrt(da / dy);
      worst = Math.max(worst, ratio);
      meanSquare += ratio * ratio / 8;
      assertThat(ratio).as("draw %d", draw).isLessThanOrEqualTo(norm * (1 + 1e-9)).isGreaterThan(rms / 2);
    }
    System.out.printf("[%s] ‖Δa‖_L²(π)/‖Δy‖_rms: largest of 8 draws %.4g, rms %.4g (predicted %.4g, ν = %.1f), norm"
        + " of the solution map %.4g, bound %.4g%n", backend, worst, Math.sqrt(meanSquare), rms, dof, norm, bound);
    assertThat(meanSquare / (rms * rms)).as("mean of ratio² over ρ²").isBetween(0.7, 1.3);
    assertThat(worst).as("the worst ratio").isGreaterThan(rms).isLessThanOrEqualTo(norm * (1 + 1e-9));
  }

  /** @return the eigenvalues of the dense operator A of the flow, ascending (A checked symmetric) */
  private static double[] eigenvalues(LinearFlow flow) {
    double[] a = flow.operator().cast(Precision.FLOAT64).toDoubleArray();
    int k = (int) Math.round(Math.sqrt(a.length));
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < i; j++) {
        assertThat(a[i * k + j]).as("A symmetric at (%d, %d)", i, j)
            .isCloseTo(a[j * k + i], offset(1e-12 * Math.abs(a[i * k + i])));
      }
    }
    return jacobi(a, k);
  }

  /**
   * Cyclic Jacobi: rotations A ← JᵀAJ that zero one off-diagonal entry each, until the off-diagonal mass is
   * below 10⁻²⁴ of the total; the diagonal then holds the eigenvalues.
   */
  private static double[] jacobi(double[] a, int k) {
    double total = Arrays.stream(a).map(v -> v * v).sum();
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < k; j++) {
          off += i != j ? a[i * k + j] * a[i * k + j] : 0;
        }
      }
      if (off <= 1e-24 * total) {
        break;
      }
      for (int p = 0; p < k; p++) {
        for (int q = p + 1; q < k; q++) {
          double apq = a[p * k + q];
          if (apq == 0) {
            continue;
          }
          double theta = (a[q * k + q] - a[p * k + p]) / (2 * apq);
          double t = Math.signum(theta == 0 ? 1 : theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          for (int r = 0; r < k; r++) { // columns p, q
            double arp = a[r * k + p];
            double arq = a[r * k + q];
            a[r * k + p] = c * arp - s * arq;
            a[r * k + q] = s * arp + c * arq;
          }
          for (int r = 0; r < k; r++) { // rows p, q
            double apr = a[p * k + r];
            double aqr = a[q * k + r];
            a[p * k + r] = c * apr - s * aqr;
            a[q * k + r] = s * apr + c * aqr;
          }
        }
      }
    }
    double[] lambda = new double[k];
    for (int i = 0; i < k; i++) {
      lambda[i] = a[i * k + i];
    }
    Arrays.sort(lambda);
    return lambda;
  }
}
