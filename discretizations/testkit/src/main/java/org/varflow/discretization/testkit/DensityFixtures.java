package org.varflow.discretization.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.FlowContext;
import org.varflow.api.flow.LinearFlow;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.DensityModel;
import org.varflow.api.problem.DensityWeight;
import org.varflow.api.problem.Loss;
import org.varflow.api.problem.ParameterDomain;
import org.varflow.api.problem.Regularizer;
import org.varflow.api.problem.Sobolev;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.solve.SolveResult;
import org.varflow.api.solve.StepRecord;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Backend;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;

/**
 * Data, problems, flows, solves and fits shared by the tests of the density discretizations; everything in
 * float64. A discretization's test fixtures extend this class and name their plugin id, size key and state.
 */
public class DensityFixtures extends Measures {
  /** Every plugin on the test path. */
  public static final PluginRegistry REGISTRY = PluginRegistry.load(DensityFixtures.class.getClassLoader());
  /** Half-width of the box Ω = [−R, R]^k used throughout. */
  public static final double R = 2.0;
  /** Radius of {@link #CIRCLE}. */
  public static final double RADIUS = 1.5;
  /** The circle domain S¹_r × [−1, 1], r = {@link #RADIUS}, for inputs in R². */
  public static final ParameterDomain CIRCLE = ParameterDomain.circle(RADIUS, -1, 1);
  /** The weight ω = 1. */
  public static final DensityWeight UNIFORM = new DensityWeight("uniform", 1);
  /** α of {@link #convexProblem}. */
  public static final double CONVEX_ALPHA = 0.2;
  /** ω of {@link #convexProblem}: Gaussian with s = 2. */
  public static final DensityWeight CONVEX_WEIGHT = new DensityWeight("gaussian", 2.0);
  /** The data of {@link #convexProblem}: 30 points, d = 1. */
  public static final Dataset CONVEX_DATA = data(30, 1, 21);

  /** For subclasses holding a discretization's own fixtures. */
  protected DensityFixtures() {}

  /** @return the ids of the available backends (jvm and nd4j-cpu here) */
  public static Stream<String> backends() {
    return REGISTRY.backends().stream().filter(Backend::isAvailable).map(Backend::id);
  }

  /** n points x ~ U[−1, 1]^d, y = sin(2x₁) + x_d/2 + 0.1·noise. */
  public static Dataset data(int n, int d, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] x = new double[n * d];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        x[i * d + k] = rng.nextDouble(-1, 1);
      }
      y[i] = Math.sin(2 * x[i * d]) + 0.5 * x[i * d + d - 1] + 0.1 * rng.nextGaussian();
    }
    return new Dataset("density-test", n, d, x, y);
  }

  /** The box [−R, R]^k. */
  public static ParameterDomain box(int k) {
    double[] lo = new double[k];
    double[] hi = new double[k];
    Arrays.fill(lo, -R);
    Arrays.fill(hi, R);
    return ParameterDomain.box(lo, hi);
  }

  /** The density problem on the box [−R, R]^{d+1} with the squared loss. */
  public static VariationalProblem problem(Dataset train, Activation sigma, DensityWeight weight, Regularizer... regs) {
    return problem(train, box(train.d() + 1), sigma, weight, regs);
  }

  /** The density problem on {@code domain} with the squared loss. */
  public static VariationalProblem problem(Dataset train, ParameterDomain domain, Activation sigma, DensityWeight weight,
      Regularizer... regs) {
    return new VariationalProblem(train, null, new DensityModel(sigma, domain, weight), Loss.SQUARED, List.of(regs));
  }

  /**
   * @param data the points (d = 1)
   * @return the α-convex problem of the convergence tests on [−R, R]²: σ = sigmoid, ω = {@link #CONVEX_WEIGHT},
   *     one Sobolev regularizer with α = {@link #CONVEX_ALPHA}, g = l = 1
   */
  public static VariationalProblem convexProblem(Dataset data) {
    return problem(data, Activation.SIGMOID, CONVEX_WEIGHT, new Sobolev(CONVEX_ALPHA, 1.0, 1.0));
  }

  /**
   * λ = α·l·min_Ω ω bounds the spectrum of A from below for {@link #convexProblem}: in L²-orthonormal
   * coordinates A = (data term) + α(g K_ω + l M_ω) with the data term and K_ω positive semi-definite and
   * M_ω ≥ min_Ω ω · I (positive quadrature weights, exact mass matrix). On [−2, 2]² with ω = exp(−|θ|²/8)
   * the minimum is e^{−1}, at the corners.
   */
  public static double convexLambda() {
    return CONVEX_ALPHA * Math.exp(-2 * R * R / (2 * 2.0 * 2.0));
  }

  /**
   * A is SPD, so the minimizer is unique: from two random starts, far from u* and from each other, paths that read
   * the start reach the u* of the direct solve (Cholesky, which never reads the start):
   * <ul>
   *   <li>conjugate gradients from each start, to the relative residual 10⁻¹³ (rel 1e-8: the error is at most
   *       cond(A) ≤ L/λ times the residual, with L/λ printed);
   *   <li>a long explicit Euler run with h = 1/L, L ≥ λ_max(A) (rel 1e-8): every error component shrinks by
   *       (1 − hμ) ≤ e^{−hλ} per step, so ⌈ln(10¹¹)/(hλ)⌉ steps are enough.
   * </ul>
   * The starts are asserted to differ from u* and from each other by at least 10% of |u*|, so that neither path
   * could pass by ignoring them.
   *
   * @param randomStart the flow of the problem started from a random state drawn from the given seed
   * @param lambda λ, a lower bound of the spectrum of A
   */
  public static void assertUniqueMinimizer(String label, LongFunction<DiscreteFlow> randomStart, double lambda) {
    double[] direct = stationary(randomStart.apply(1));
    double[][] starts = new double[2][];
    for (int s = 0; s < 2; s++) {
      long seed = s + 1;
      DiscreteFlow cg = randomStart.apply(seed);
      starts[s] = nodeValues(cg);
      assertThat(relativeDifference(starts[s], direct)).as("%s: start %d is away from u*", label, seed)
          .isGreaterThan(0.1);
      double l = cg.linear().orElseThrow().largestEigenvalueBound(seed);
      SolveResult result = REGISTRY.solver("stationary").solve(cg, Map.of("method", "cg", "tolerance", 1e-13),
          (StepRecord r) -> true);
      double distance = relativeDifference(nodeValues(cg), direct);
      System.out.printf("%s: conjugate gradients from seed %d: %s iterations, rel. distance to u* %.2e (L/λ = %.1f)%n",
          label, seed, result.diagnostics().get("iterations"), distance, l / lambda);
      Map<String, Object> diagnostics = Map.copyOf(result.diagnostics());
      assertThat(diagnostics).as("%s: conjugate gradients from seed %d", label, seed)
          .containsEntry("method", "cg").containsEntry("converged", true);
      assertThat((Long) diagnostics.get("iterations")).isGreaterThan(1L);
      assertThat(distance).as("%s: conjugate gradients from seed %d to u*", label, seed).isLessThan(1e-8);

      DiscreteFlow flow = randomStart.apply(seed);
      double h = 1 / flow.linear().orElseThrow().largestEigenvalueBound(seed);
      long steps = (long) Math.ceil(Math.log(1e11) / (h * lambda));
      solve(flow, "explicit-euler", Map.of("step", h, "steps", steps, "record_every", steps));
      distance = relativeDifference(nodeValues(flow), direct);
      System.out.printf("%s: explicit Euler seed %d: %d steps of h = %.4f, rel. distance to u* %.2e%n",
          label, seed, steps, h, distance);
      assertThat(distance).as("%s: explicit Euler from seed %d to u*", label, seed).isLessThan(1e-8);
    }
    assertThat(relativeDifference(starts[1], starts[0])).as("%s: the two starts differ", label).isGreaterThan(0.1);
  }

  /**
   * The smallest eigenvalue of A by inverse iteration (u ← A⁻¹u/‖A⁻¹u‖ by Cholesky solves, from a seeded start, until
   * the Rayleigh quotient uᵀAu changes by at most 1e-13 relative, or 2000 solves): ρ = uᵀAu ≥ λ_min, with an error
   * quadratic in the angle between u and the eigenvector.
   *
   * @return λ_min(A), from above
   */
  public static double smallestEigenvalue(LinearFlow linear, long seed) {
    Tensor a = linear.operator();
    Tensor u = a.factory().normal(a.precision(), seed, 0, 1, a.rows());
    double rho = Double.POSITIVE_INFINITY;
    try {
      for (int i = 1; ; i++) {
        u.scalei(1 / Math.sqrt(u.squaredNorm()));
        Tensor au = linear.apply(u);
        double next = au.dot(u);
        au.release();
        if (Math.abs(next - rho) <= 1e-13 * Math.abs(next) || i == 2000) {
          return next;
        }
        rho = next;
        Tensor v = a.choleskySolve(u);
        u.release();
        u = v;
      }
    } finally {
      u.release();
    }
  }

  /** Solves {@code flow} to its stationary point by Cholesky; @return its parameters {@code u} */
  public static double[] stationary(DiscreteFlow flow) {
    solve(flow, "stationary", Map.of("method", "cholesky"));
    return nodeValues(flow);
  }

  /** @return the parameter {@code u} of the flow's current state (its parameters are released after reading) */
  public static double[] nodeValues(DiscreteFlow flow) {
    Map<String, Tensor> params = flow.parameters();
    double[] u = params.get("u").toDoubleArray();
    params.values().forEach(Tensor::release);
    return u;
  }

  /**
   * @param k the dimension of θ = (w, b)
   * @return the structure-test problem: 25 points in R^{k−1}, σ = sigmoid, Gaussian ω (s = 1.5) on [−R, R]^k
   *     and two Sobolev regularizers (0.07, g 1.3, l 0.6) and (0.02, g 0.5, l 2)
   */
  public static VariationalProblem twoSobolevProblem(int k) {
    return problem(data(25, k - 1, 4), Activation.SIGMOID, new DensityWeight("gaussian", 1.5),
        new Sobolev(0.07, 1.3, 0.6), new Sobolev(0.02, 0.5, 2.0));
  }

  /** Discretizes through the registry with {@code id}, {@code sizeKey: size} and the given extra options. */
  public static DiscreteFlow flow(String id, String sizeKey, VariationalProblem problem, String backend, long seed,
      int size, Map<String, Object> extra) {
    Map<String, Object> node = new LinkedHashMap<>(extra);
    node.putIfAbsent(sizeKey, size);
    return REGISTRY.discretization(id).discretize(problem, node,
        new FlowContext(REGISTRY.backend(backend), Precision.FLOAT64, seed));
  }

  /** @return {@code init: {kind: gaussian, scale}}, the options of a random start */
  public static Map<String, Object> gaussianInit(double scale) {
    return Map.of("init", new LinkedHashMap<>(Map.of("kind", "gaussian", "scale", scale)));
  }

  /** state[name] ← values. */
  public static void set(DiscreteFlow flow, String name, double[] values) {
    Tensor t = flow.state().get(name);
    t.scalei(0).axpyi(1.0, t.factory().of(Precision.FLOAT64, values, t.shape()));
  }

  /** Runs a registry solver with the given options; @return the recorded (time, energy) pairs */
  public static List<double[]> solve(DiscreteFlow flow, String solver, Map<String, Object> options) {
    List<double[]> records = new ArrayList<>();
    REGISTRY.solver(solver).solve(flow, options, (StepRecord r) -> {
      records.add(new double[] {r.time(), r.evaluation().energy()});
      return true;
    });
    return records;
  }

  /**
   * Solves each discretization to its stationary point (Cholesky) and measures its predictions against a
   * reference.
   *
   * @param discretize the flow at each size (points, degree, …)
   * @return ‖f_size − reference‖_rms on {@code test}, one per size
   */
  public static double[] predictionErrors(IntFunction<DiscreteFlow> discretize, int[] sizes, Dataset test,
      double[] reference) {
    double[] errors = new double[sizes.length];
    for (int i = 0; i < sizes.length; i++) {
      DiscreteFlow flow = discretize.apply(sizes[i]);
      stationary(flow);
      errors[i] = rmsDifference(flow.predict(test), reference);
    }
    return errors;
  }

  /**
   * Mean squared distance, over {@code seeds} draws and the points of {@code data}, between the width-N
   * networks f_N(x) = (1/N) Σ_j a_j σ(w_j·x + b_j) sampled from the flow's density and the flow's own
   * predictions f(x; u), for each N in {@code widths}.
   *
   * @return the mean squared distances, one per width
   */
  public static double[] samplingErrors(DiscreteFlow flow, Dataset data, Activation sigma, int[] widths, int seeds) {
    double[] f = flow.predict(data);
    double[] x = data.inputsWithBias();
    int k = data.d() + 1;
    double[] errors = new double[widths.length];
    for (int w = 0; w < widths.length; w++) {
      int n = widths[w];
      for (int seed = 0; seed < seeds; seed++) {
        Map<String, Tensor> net = flow.density().orElseThrow().sample(n, 1000L * w + seed);
        double[] a = net.get("a").toDoubleArray();
        double[] theta = net.get("W").toDoubleArray();
        assertThat(net.get("W").shape()).containsExactly(n, k);
        for (int i = 0; i < data.n(); i++) {
          double fn = 0;
          for (int j = 0; j < n; j++) {
            double z = 0;
            for (int c = 0; c < k; c++) {
              z += theta[j * k + c] * x[i * k + c];
            }
            fn += a[j] * sigma.value(z) / n;
          }
          errors[w] += (fn - f[i]) * (fn - f[i]) / (data.n() * seeds);
        }
      }
    }
    return errors;
  }
}
