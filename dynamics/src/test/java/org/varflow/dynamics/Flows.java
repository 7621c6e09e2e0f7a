package org.varflow.dynamics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.varflow.api.Options;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.flow.Discretization;
import org.varflow.api.flow.FlowContext;
import org.varflow.api.flow.Particles;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.Loss;
import org.varflow.api.problem.Regularizer;
import org.varflow.api.problem.TwoLayerModel;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.problem.WeightDecay;
import org.varflow.api.solve.Observer;
import org.varflow.api.solve.SolveContext;
import org.varflow.api.solve.SolveResult;
import org.varflow.api.solve.Solver;
import org.varflow.api.solve.SolverState;
import org.varflow.api.solve.StepRecord;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;

/** Flows, problems and solves the dynamics tests share. */
final class Flows {
  static final PluginRegistry REGISTRY = PluginRegistry.load(Flows.class.getClassLoader());
  static final List<String> BACKENDS = List.of("jvm", "nd4j-cpu");

  private Flows() {}

  /** @return n samples of y = sin(x₁) − x₂/2 + x₃²/4 on [−1, 1]³, drawn from seed 3 */
  static Dataset data(int n) {
    SplittableRandom rng = new SplittableRandom(3);
    double[] x = rng.doubles(3L * n, -1, 1).toArray();
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = Math.sin(x[3 * i]) - x[3 * i + 1] / 2 + x[3 * i + 2] * x[3 * i + 2] / 4;
    }
    return new Dataset("test", n, 3, x, y);
  }

  /** @return the two-layer tanh problem with a bias on {@link #data}, with {@code regularizers} */
  static VariationalProblem problem(int n, Regularizer... regularizers) {
    return new VariationalProblem(data(n), null, new TwoLayerModel(Activation.TANH, true), Loss.SQUARED,
        List.of(regularizers));
  }

  /** @return the built-in {@code particles} flow of m particles drawn from {@code seed} on {@code backend}, float64 */
  static DiscreteFlow particles(String backend, VariationalProblem problem, int m, long seed) {
    Discretization particles = REGISTRY.discretization("particles");
    return particles.discretize(problem, particles.options().node("discretization", Map.of("width", m)),
        new FlowContext(REGISTRY.backend(backend), Precision.FLOAT64, seed));
  }

  /** @return the solver's options node with these values, checked and completed */
  static Options options(Solver solver, Map<String, ?> values) {
    return solver.options().node("solver", values);
  }

  /** Solves a new solve in a run-like context: the problem, seed 7, an empty solver state. */
  static SolveResult solve(Solver solver, DiscreteFlow flow, VariationalProblem problem, Map<String, ?> options,
      Observer observer) {
    return solver.solve(new SolveContext(flow, options(solver, options), observer, Optional.of(problem), 0, 7,
        new SolverState()));
  }

  /** Keeps every record. */
  static final class Recorder implements Observer {
    final List<StepRecord> records = new ArrayList<>();

    @Override
    public void onStart(long steps) {}

    @Override
    public void onStep(long step) {}

    @Override
    public boolean onRecord(StepRecord record) {
      records.add(record);
      return true;
    }
  }

  /** @return the state's tensors as arrays, by name */
  static Map<String, double[]> state(DiscreteFlow flow) {
    Map<String, double[]> out = new LinkedHashMap<>();
    flow.state().forEach((name, t) -> out.put(name, t.toDoubleArray()));
    return out;
  }

  /**
   * m particles in R^1 with no risk: E = (κ/2)(1/m) Σ θ_j², v = −κθ, metric I/m. With noise √(2τh)ξ this is the
   * Ornstein–Uhlenbeck process dθ = −κθ dt + √(2τ) dB.
   */
  static final class Confined implements DiscreteFlow {
    private final Map<String, Tensor> state = new LinkedHashMap<>();
    private final double kappa;

    Confined(String backend, double[] theta, double kappa) {
      this.kappa = kappa;
      state.put("theta", REGISTRY.backend(backend).tensors().of(Precision.FLOAT64, theta, theta.length));
    }

    @Override
    public Map<String, Tensor> state() {
      return state;
    }

    @Override
    public Evaluation evaluate(boolean withVelocity) {
      Tensor theta = state.get("theta");
      double energy = kappa / 2 * theta.squaredNorm() / theta.rows();
      return new Evaluation(energy, Map.of(Evaluation.RISK, 0.0, WeightDecay.KIND, energy),
          withVelocity ? Map.of("theta", theta.scale(-kappa)) : null);
    }

    @Override
    public Tensor predictions(Dataset data) {
      throw new UnsupportedOperationException("a potential without a model");
    }

    @Override
    public Optional<Particles> particles() {
      return Optional.of(new Particles() {
        @Override
        public int count() {
          return state.get("theta").rows();
        }

        @Override
        public List<String> positions() {
          return List.of("theta");
        }
      });
    }
  }
}
