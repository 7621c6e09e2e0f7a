package org.varflow.solvers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.varflow.api.Options;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.flow.LinearFlow;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.api.problem.Dataset;
import org.varflow.api.solve.Observer;
import org.varflow.api.solve.SolveContext;
import org.varflow.api.solve.SolveResult;
import org.varflow.api.solve.Solver;
import org.varflow.api.solve.StepRecord;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/** Small flows with known solutions for the solver tests, and an observer that keeps every record. */
final class TestFlows {
  static final PluginRegistry REGISTRY = PluginRegistry.load(TestFlows.class.getClassLoader());
  static final List<String> BACKENDS = List.of("jvm", "nd4j-cpu");

  private TestFlows() {}

  /** Runs {@code solver} as the launcher does: on its node checked and completed by the solver's declared options. */
  static SolveResult solve(Solver solver, DiscreteFlow flow, Options options, Observer observer) {
    return solver.solve(SolveContext.of(flow, solver.options().apply(options, null), observer));
  }

  static TensorFactory tensors(String backend) {
    return REGISTRY.backend(backend).tensors();
  }

  /** Keeps every record and counts the calls. */
  static final class Recorder implements Observer {
    final List<StepRecord> records = new ArrayList<>();
    long planned = -1;
    long lastStep;

    @Override
    public void onStart(long plannedSteps) {
      planned = plannedSteps;
    }

    @Override
    public void onStep(long step) {
      lastStep = step;
    }

    @Override
    public boolean onRecord(StepRecord record) {
      records.add(record);
      return true;
    }

    double[] energies() {
      return records.stream().mapToDouble(r -> r.evaluation().energy()).toArray();
    }
  }

  /**
   * E(u) = ½ uᵀA u − bᵀu with A = V diag(μ) Vᵀ, V a random orthogonal matrix (Gram–Schmidt on a Gaussian
   * matrix) and μ spread evenly over [λ, L], so the spectrum is known exactly; v(u) = b − A u.
   */
  static final class Quadratic implements DiscreteFlow {
    final int k;
    final double[] mu;
    final double[][] v;
    final double[] b;
    final double[] u0;
    final Tensor a;
    final Tensor bT;
    final Tensor u;
    private final boolean exposeLinear;

    Quadratic(String backend, int k, double lambda, double lipschitz, long seed, boolean exposeLinear) {
      this(backend, k, spread(k, lambda, lipschitz), seed, exposeLinear);
    }

    Quadratic(String backend, int k, double[] mu, long seed, boolean exposeLinear) {
      this.k = k;
      this.mu = mu.clone();
      this.exposeLinear = exposeLinear;
      SplittableRandom rng = new SplittableRandom(seed);
      v = orthogonal(k, rng);
      double[] aData = new double[k * k];
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < k; j++) {
          double s = 0;
          for (int l = 0; l < k; l++) {
            s += v[i][l] * mu[l] * v[j][l];
          }
          aData[i * k + j] = s;
        }
      }
      b = gaussian(k, rng, 1);
      u0 = gaussian(k, rng, 1);
      TensorFactory tf = tensors(backend);
      a = tf.of(Precision.FLOAT64, aData, k, k);
      bT = tf.of(Precision.FLOAT64, b, k);
      u = tf.of(Precision.FLOAT64, u0, k);
    }

    static double[] spread(int k, double lambda, double lipschitz) {
      double[] mu = new double[k];
      for (int l = 0; l < k; l++) {
        mu[l] = lambda + (lipschitz - lambda) * l / (k - 1);
      }
      return mu;
    }

    /** @return V diag(f(μ)) Vᵀ x, in plain Java */
    double[] spectral(DoubleUnaryOperator f, double[] x) {
      double[] out = new double[k];
      for (int l = 0; l < k; l++) {
        double c = 0;
        for (int i = 0; i < k; i++) {
          c += v[i][l] * x[i];
        }
        c *= f.applyAsDouble(mu[l]);
        for (int i = 0; i < k; i++) {
          out[i] += c * v[i][l];
        }
      }
      return out;
    }

    /** @return the minimizer A⁻¹b */
    double[] solution() {
      return spectral(m -> 1 / m, b);
    }

    /** @return E(A⁻¹b) = −½ bᵀA⁻¹b */
    double minimum() {
      return -0.5 * dot(b, solution());
    }

    private Tensor times(Tensor x) {
      return a.matmul(x, false, false, 1).reshape(k);
    }

    @Override
    public Map<String, Tensor> state() {
      return Map.of("u", u);
    }

    @Override
    public Evaluation evaluate(boolean withVelocity) {
      Tensor au = times(u);
      double e = 0.5 * u.dot(au) - bT.dot(u);
      Map<String, Tensor> velocity = withVelocity ? Map.of("u", bT.sub(au)) : null;
      au.release();
      return new Evaluation(e, Map.of(Evaluation.RISK, e), velocity);
    }

    @Override
    public Tensor predictions(Dataset data) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
      Tensor.releaseAll(a, bT, u);
    }

    @Override
    public Optional<LinearFlow> linear() {
      if (!exposeLinear) {
        return Optional.empty();
      }
      return Optional.of(new LinearFlow() {
        @Override
        public String unknown() {
          return "u";
        }

        @Override
        public Tensor operator() {
          return a;
        }

        @Override
        public Tensor apply(Tensor x) {
          return times(x);
        }

        @Override
        public Tensor rhs() {
          return bT;
        }
      });
    }
  }

  /**
   * E(u) = Σ log cosh(u_i − c_i) + ½λ|u|², convex and not quadratic: ∇E = tanh(u − c) + λu, whose
   * Lipschitz constant is 1 + λ.
   */
  static final class LogCosh implements DiscreteFlow {
    final double lambda;
    final Tensor c;
    final Tensor u;
    /** Whether c is in the state too, as a tensor without velocity: frozen. */
    final boolean frozenCenter;

    LogCosh(String backend, int k, double lambda, long seed) {
      this(backend, k, lambda, seed, false);
    }

    LogCosh(String backend, int k, double lambda, long seed, boolean frozenCenter) {
      this.lambda = lambda;
      this.frozenCenter = frozenCenter;
      SplittableRandom rng = new SplittableRandom(seed);
      TensorFactory tf = tensors(backend);
      c = tf.of(Precision.FLOAT64, gaussian(k, rng, 3), k);
      u = tf.of(Precision.FLOAT64, gaussian(k, rng, 3), k);
    }

    @Override
    public Map<String, Tensor> state() {
      return frozenCenter ? Map.of("u", u, "c", c) : Map.of("u", u);
    }

    @Override
    public Evaluation evaluate(boolean withVelocity) {
      Tensor d = u.sub(c);
      double e = 0.5 * lambda * u.squaredNorm();
      for (double x : d.toDoubleArray()) {
        double ax = Math.abs(x);
        e += ax + Math.log1p(Math.exp(-2 * ax)) - Math.log(2); // log cosh x, without overflow
      }
      Map<String, Double> parts = new LinkedHashMap<>();
      parts.put(Evaluation.RISK, e);
      Map<String, Tensor> velocity = withVelocity ? Map.of("u", d.activate(Activation.TANH).axpyi(lambda, u).scalei(-1))
          : null;
      return new Evaluation(e, parts, velocity);
    }

    @Override
    public Tensor predictions(Dataset data) {
      throw new UnsupportedOperationException();
    }
  }

  static double[] gaussian(int k, SplittableRandom rng, double std) {
    double[] x = new double[k];
    for (int i = 0; i < k; i++) {
      x[i] = std * rng.nextGaussian();
    }
    return x;
  }

  /** @return a random orthogonal k×k matrix, columns by modified Gram–Schmidt (twice) */
  static double[][] orthogonal(int k, SplittableRandom rng) {
    double[][] q = new double[k][k];
    for (int i = 0; i < k; i++) {
      q[i] = gaussian(k, rng, 1);
    }
    for (int pass = 0; pass < 2; pass++) {
      for (int j = 0; j < k; j++) {
        for (int p = 0; p < j; p++) {
          double s = 0;
          for (int i = 0; i < k; i++) {
            s += q[i][p] * q[i][j];
          }
          for (int i = 0; i < k; i++) {
            q[i][j] -= s * q[i][p];
          }
        }
        double n = 0;
        for (int i = 0; i < k; i++) {
          n += q[i][j] * q[i][j];
        }
        n = Math.sqrt(n);
        for (int i = 0; i < k; i++) {
          q[i][j] /= n;
        }
      }
    }
    return q;
  }

  static double dot(double[] x, double[] y) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += x[i] * y[i];
    }
    return s;
  }

  /** @return ‖x − y‖/‖y‖ */
  static double relativeError(double[] x, double[] y) {
    double e = 0;
    for (int i = 0; i < x.length; i++) {
      e += (x[i] - y[i]) * (x[i] - y[i]);
    }
    return Math.sqrt(e / dot(y, y));
  }
}
