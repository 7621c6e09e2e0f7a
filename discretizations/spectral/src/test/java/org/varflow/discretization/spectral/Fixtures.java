package org.varflow.discretization.spectral;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;
import org.varflow.discretization.testkit.DensityFixtures;

/** The shared density fixtures, bound to the {@code spectral} plugin (size option {@code degree}, state {@code c}). */
final class Fixtures extends DensityFixtures {
  /** The largest error ratio e_{P+Δ}/e_P {@link #geometricFailure} accepts at Δ = 2. */
  static final double MAX_RATIO_PER_TWO = 0.25;
  /** How many times better the geometric law must fit log e than the best power law. */
  static final double FIT_ADVANTAGE = 4;

  private Fixtures() {}

  /** Discretizes through the registry with {@code degree} and the given extra options. */
  static DiscreteFlow flow(VariationalProblem problem, String backend, long seed, int degree, Map<String, Object> extra) {
    return flow("spectral", "degree", problem, backend, seed, degree, extra);
  }

  /** A flow started from c ~ N(0, scale²). */
  static DiscreteFlow gaussianFlow(VariationalProblem problem, String backend, long seed, int degree, double scale) {
    return flow(problem, backend, seed, degree, gaussianInit(scale));
  }

  /** c ← values. */
  static void set(DiscreteFlow flow, double[] values) {
    set(flow, "c", values);
  }

  /** A quadrature rule ∫_Ω g dθ ≈ Σ_q μ_q g(θ_q) with nodes θ_q = (w, b) ∈ R^{d+1}, row-major. */
  record Rule(double[] nodes, double[] weights) {}

  /** The tensor Gauss rule with {@code points}² nodes on the box [−R, R]² (d = 1). */
  static Rule boxRule(int points) {
    double[][] g = Legendre.gauss(points);
    double[] nodes = new double[2 * points * points];
    double[] weights = new double[points * points];
    for (int a = 0; a < points; a++) {
      for (int b = 0; b < points; b++) {
        int q = a * points + b;
        nodes[2 * q] = R * g[0][a];
        nodes[2 * q + 1] = R * g[0][b];
        weights[q] = R * R * g[1][a] * g[1][b];
      }
    }
    return new Rule(nodes, weights);
  }

  /**
   * The trapezoid rule in ϕ (exponentially accurate for periodic analytic integrands) times a Gauss rule in b on
   * {@link #CIRCLE}, θ = (r cos ϕ, r sin ϕ, b), with the measure r dϕ db.
   */
  static Rule circleRule(int angles, int points) {
    double[][] g = Legendre.gauss(points);
    double[] nodes = new double[3 * angles * points];
    double[] weights = new double[angles * points];
    for (int a = 0; a < angles; a++) {
      double phi = 2 * Math.PI * a / angles;
      for (int b = 0; b < points; b++) {
        int q = a * points + b;
        nodes[3 * q] = RADIUS * Math.cos(phi);
        nodes[3 * q + 1] = RADIUS * Math.sin(phi);
        nodes[3 * q + 2] = g[0][b]; // b ∈ [−1, 1]
        weights[q] = RADIUS * 2 * Math.PI / angles * g[1][b];
      }
    }
    return new Rule(nodes, weights);
  }

  /**
   * The minimizer of J(u) = R(u) + (α/2) ∫_Ω u² dθ (Sobolev with g = 0, l = 1, ω = 1) in closed form: δJ = 0
   * gives u* = (1/αn) Σ_i r_i φ_i with φ_i(θ) = σ(w·x_i + b) and residuals r = y − f(x; u*), so with
   * K_ij = ∫_Ω φ_i φ_j dθ the residuals solve (I + K/(αn)) r = y, and f*(x) = (1/αn) Σ_i r_i ∫_Ω φ_i φ(x; ·) dθ.
   * u* is analytic in θ where σ is; the integrals are taken with {@code rule}, independently of the plugin.
   *
   * @return f* at the points of {@code test}
   */
  static double[] l2Minimizer(Dataset train, Dataset test, Activation sigma, double alpha, Rule rule) {
    TensorFactory f = REGISTRY.backend("jvm").tensors();
    Tensor phiTrain = features(f, train, sigma, rule);
    Tensor phiTest = features(f, test, sigma, rule);
    double scale = 1 / (alpha * train.n());
    Tensor k = phiTrain.matmul(phiTrain, false, true, scale).addDiagonali(1); // I + K/(αn)
    Tensor r = k.choleskySolve(f.of(Precision.FLOAT64, train.y(), train.n(), 1));
    Tensor cross = phiTest.matmul(phiTrain, false, true, scale);
    Tensor fStar = cross.matmul(r, false, false, 1);
    double[] out = fStar.toDoubleArray();
    for (Tensor t : new Tensor[] {phiTrain, phiTest, k, r, cross, fStar}) {
      t.release();
    }
    return out;
  }

  /** @return the n × Q matrix √μ_q σ(w_q·x_i + b_q), so that Φ Φᵀ holds the integrals ∫ φ_i φ_j dθ */
  private static Tensor features(TensorFactory f, Dataset data, Activation sigma, Rule rule) {
    double[] x = data.inputsWithBias();
    int k = data.d() + 1;
    int q = rule.weights().length;
    double[] phi = new double[data.n() * q];
    for (int i = 0; i < data.n(); i++) {
      for (int p = 0; p < q; p++) {
        double z = 0;
        for (int c = 0; c < k; c++) {
          z += rule.nodes()[p * k + c] * x[i * k + c];
        }
        phi[i * q + p] = Math.sqrt(rule.weights()[p]) * sigma.value(z);
      }
    }
    return f.of(Precision.FLOAT64, phi, data.n(), q);
  }

  /** Asserts {@link #geometricFailure} finds nothing, printing the errors and the fitted ratio. */
  static void assertGeometric(String label, int[] degrees, double[] errors) {
    System.out.printf(Locale.ROOT, "%s P = %s: errors %s%n", label, Arrays.toString(degrees), Arrays.toString(errors));
    assertThat(geometricFailure(degrees, errors)).as(label).isEmpty();
  }

  /**
   * Tells geometric convergence e_P ≈ C ρ^{−P} from every power law C P^{−p} on equally spaced degrees (step Δ):
   * (1) every ratio e_{P+Δ}/e_P is at most {@link #MAX_RATIO_PER_TWO}^{Δ/2}, a margin below 1 over the whole
   * range, where a power law's ratio (P/(P+Δ))^p climbs towards 1; (2) a line in P leaves at most
   * 1/{@link #FIT_ADVANTAGE} of the squared residual of log e that the best line in log P leaves — and the latter
   * fits every power law exactly, whatever p and C.
   *
   * @return why the errors are not geometric, or empty when they are
   */
  static Optional<String> geometricFailure(int[] degrees, double[] errors) {
    int step = degrees[1] - degrees[0];
    double maxRatio = Math.pow(MAX_RATIO_PER_TWO, step / 2.0);
    for (int i = 0; i + 1 < errors.length; i++) {
      if (degrees[i + 1] - degrees[i] != step) {
        throw new IllegalArgumentException("degrees not equally spaced: " + Arrays.toString(degrees));
      }
      double ratio = errors[i + 1] / errors[i];
      if (!(ratio <= maxRatio)) {
        return Optional.of(String.format(Locale.ROOT, "e_%d/e_%d = %.3g > %.3g", degrees[i + 1], degrees[i], ratio,
            maxRatio));
      }
    }
    double[] p = Arrays.stream(degrees).asDoubleStream().toArray();
    double[] logP = Arrays.stream(p).map(Math::log).toArray();
    double[] logE = Arrays.stream(errors).map(Math::log).toArray();
    double geometric = 1 - rSquared(p, logE); // squared residuals over the total sum of squares
    double power = 1 - rSquared(logP, logE);
    double ratio = Math.exp(step * slope(p, logE));
    System.out.printf(Locale.ROOT, "  fitted ratio e_{P+%d}/e_P = %.4f; 1 − R² of log e: in P %.3g, in log P %.3g%n",
        step, ratio, geometric, power);
    return power >= FIT_ADVANTAGE * geometric ? Optional.empty()
        : Optional.of(String.format(Locale.ROOT,
            "a power law fits log e nearly as well (1 − R² = %.3g) as a geometric law (%.3g)", power, geometric));
  }
}
