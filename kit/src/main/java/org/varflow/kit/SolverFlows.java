package org.varflow.kit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.flow.MiniBatches;
import org.varflow.api.flow.Particles;
import org.varflow.api.flow.QuadraticFlow;
import org.varflow.api.problem.Dataset;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/** The flows {@link SolverKit} solves: small gradient flows whose solution is known in closed form. */
final class SolverFlows {
  /** Every kit flow, in the order the kit tries them. */
  static final List<Kind> ALL = List.of(
      new Kind("logistic", "logistic u and linear x, with particles and batches", Logistic::new),
      new Kind("quadratic", "diagonal quadratic energy, with linear structure", Quadratic::new));

  private SolverFlows() {}

  /**
   * A kit flow.
   *
   * @param name the flow's name in messages
   * @param what what it is and which capabilities it has
   * @param create the flow on a backend's tensors from a seed
   */
  record Kind(String name, String what, BiFunction<TensorFactory, Long, Exact> create) {}

  /** A flow whose state at every time is known. */
  interface Exact extends DiscreteFlow {
    /** @return the exact solution at time t from the initial state, by state tensor name */
    Map<String, double[]> at(double t);

    /** The kit's flows have no data. */
    @Override
    default Tensor predictions(Dataset data) {
      throw new UnsupportedOperationException("the solver kit's flows have no data to predict");
    }
  }

  /**
   * m = 4 particles j of equal mass with positions u_j (logistic, rate r_j = 1, 1.5, 2, 2.5) and x_j ∈ R² (linear,
   * rate λ_j = 0.4, 0.8, 1.2, 1.6), moving as the particle family's do, θ̇_j = −m∇_{θ_j}E (metric G = I/m):
   *
   * <pre>
   *   E = (1/m) Σ_j [r_j (1 − u_j)²(2u_j + 1)/6 + ½ λ_j |x_j|²],   u̇_j = r_j u_j (1 − u_j),   ẋ_j = −λ_j x_j,
   *   u_j(t) = 1/(1 + (1/u_j(0) − 1) e^{−r_j t}),   x_j(t) = x_j(0) e^{−λ_j t}
   * </pre>
   *
   * (E ≥ 0 for u ≥ −½). Its energy is an average over four samples i with weights w_i = ½, 3/2, 3/4, 5/4 (mean 1):
   * a batch B has the energy and velocity of the whole times the mean of w_i over B.
   */
  static final class Logistic implements Exact {
    private static final int M = 4;
    private static final int P = 2;
    private static final double[] WEIGHTS = {0.5, 1.5, 0.75, 1.25};
    private final double[] r = new double[M];
    private final double[] lambda = new double[M];
    private final double[] u0;
    private final double[] x0;
    private final Map<String, Tensor> state = new LinkedHashMap<>();

    Logistic(TensorFactory tensors, long seed) {
      SplittableRandom rng = new SplittableRandom(seed);
      u0 = rng.doubles(M, 0.2, 0.8).toArray();
      x0 = rng.doubles(M * P, -1, 1).toArray();
      for (int j = 0; j < M; j++) {
        r[j] = 1 + 0.5 * j;
        lambda[j] = 0.4 * (j + 1);
      }
      state.put("u", tensors.of(Precision.FLOAT64, u0, M));
      state.put("x", tensors.of(Precision.FLOAT64, x0, M, P));
    }

    @Override
    public Map<String, Tensor> state() {
      return state;
    }

    @Override
    public Evaluation evaluate(boolean withVelocity) {
      return evaluate(1, withVelocity);
    }

    /** @return the evaluation of the energy and the velocity times {@code weight} */
    private Evaluation evaluate(double weight, boolean withVelocity) {
      double[] u = state.get("u").toDoubleArray();
      double[] x = state.get("x").toDoubleArray();
      double[] vu = new double[M];
      double[] vx = new double[M * P];
      double energy = 0;
      for (int j = 0; j < M; j++) {
        energy += r[j] * (1 - u[j]) * (1 - u[j]) * (2 * u[j] + 1) / 6;
        vu[j] = weight * r[j] * u[j] * (1 - u[j]);
        for (int k = j * P; k < (j + 1) * P; k++) {
          energy += 0.5 * lambda[j] * x[k] * x[k];
          vx[k] = -weight * lambda[j] * x[k];
        }
      }
      energy *= weight / M;
      Map<String, Double> parts = new LinkedHashMap<>();
      parts.put(Evaluation.RISK, energy);
      Map<String, Tensor> velocity = null;
      if (withVelocity) {
        TensorFactory tensors = state.get("u").factory();
        velocity = new LinkedHashMap<>();
        velocity.put("u", tensors.of(Precision.FLOAT64, vu, M));
        velocity.put("x", tensors.of(Precision.FLOAT64, vx, M, P));
      }
      return new Evaluation(energy, parts, velocity);
    }

    @Override
    public Map<String, double[]> at(double t) {
      double[] u = new double[M];
      double[] x = new double[M * P];
      for (int j = 0; j < M; j++) {
        u[j] = 1 / (1 + (1 / u0[j] - 1) * Math.exp(-r[j] * t));
        for (int k = j * P; k < (j + 1) * P; k++) {
          x[k] = x0[k] * Math.exp(-lambda[j] * t);
        }
      }
      return Map.of("u", u, "x", x);
    }

    @Override
    public Optional<Particles> particles() {
      return Optional.of(new Particles() {
        @Override
        public int count() {
          return M;
        }

        @Override
        public List<String> positions() {
          return List.of("u", "x");
        }
      });
    }

    @Override
    public Optional<MiniBatches> batches() {
      return Optional.of(new MiniBatches() {
        @Override
        public int samples() {
          return WEIGHTS.length;
        }

        @Override
        public Evaluation evaluate(int[] rows, boolean withVelocity) {
          double mean = 0;
          for (int i : rows) {
            mean += WEIGHTS[i] / rows.length;
          }
          return Logistic.this.evaluate(mean, withVelocity);
        }
      });
    }
  }

  /**
   * E(u) = ½ Σ_i μ_i u_i² − b_i u_i with five distinct rates μ_i = 0.5, 0.8, 1.1, 1.4, 1.7, as a {@link QuadraticFlow}
   * with the design P = diag(√(5μ_i)) and targets y (so A = PᵀP/5 = diag(μ_i), b = Pᵀy/5):
   * u_i(t) = u*_i + e^{−μ_i t}(u_i(0) − u*_i), u*_i = b_i/μ_i.
   */
  static final class Quadratic extends QuadraticFlow implements Exact {
    private static final int K = 5;
    private final double[] mu = new double[K];
    private final double[] b = new double[K];
    private final double[] u0;

    Quadratic(TensorFactory tensors, long seed) {
      this(tensors, new SplittableRandom(seed));
    }

    private Quadratic(TensorFactory tensors, SplittableRandom rng) {
      this(tensors, rng.doubles(K, -1, 1).toArray(), rng.doubles(K, -1, 1).toArray());
    }

    private Quadratic(TensorFactory tensors, double[] u0, double[] y) {
      super("u", tensors.of(Precision.FLOAT64, u0, K), design(tensors), tensors.of(Precision.FLOAT64, y, K, 1), null);
      this.u0 = u0;
      for (int i = 0; i < K; i++) {
        mu[i] = rate(i);
        b[i] = Math.sqrt(K * mu[i]) * y[i] / K;
      }
    }

    private static double rate(int i) {
      return 0.5 + 0.3 * i;
    }

    private static Tensor design(TensorFactory tensors) {
      double[] p = new double[K * K];
      for (int i = 0; i < K; i++) {
        p[i * K + i] = Math.sqrt(K * rate(i));
      }
      return tensors.of(Precision.FLOAT64, p, K, K);
    }

    /** T = 0. */
    @Override
    protected Tensor applyRegularizer(Tensor v) {
      return v.factory().zeros(Precision.FLOAT64, K);
    }

    @Override
    protected Tensor regularizerMatrix() {
      return state().get("u").factory().zeros(Precision.FLOAT64, K, K);
    }

    @Override
    public Map<String, double[]> at(double t) {
      double[] u = new double[K];
      for (int i = 0; i < K; i++) {
        double star = b[i] / mu[i];
        u[i] = star + Math.exp(-mu[i] * t) * (u0[i] - star);
      }
      return Map.of("u", u);
    }
  }
}
