package org.varflow.kit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Discretization;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.flow.FlowContext;
import org.varflow.api.flow.LinearFlow;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.Loss;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Backend;
import org.varflow.api.tensor.Lifetime;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;

/**
 * Checks a discretization plugin against what every varflow discretization promises, on a small problem
 * of the author's choosing and on every available backend on the test path, in float64, at the state the
 * discretization starts from shifted by seeded noise:
 *
 * <ul>
 *   <li>{@link #velocityIsTheMetricGradient}: G·v = −∇E, with ∇E by central differences of the energy
 *       and G the flow's {@link Metric} (the scaling of the continuous flow);
 *   <li>{@link #linearStructureGivesTheVelocity}: with {@code linear()}, v = −(A u − b) both from
 *       {@code apply} and from the dense {@code operator}, and A symmetric;
 *   <li>{@link #predictionsGiveTheRisk}: the risk of {@code predictions(train)} is the energy's risk part;
 *   <li>{@link #tensorsAreReleased}: evaluations, predictions and parameters leave the live-tensor count
 *       unchanged once released, never hand out the state itself, and {@code close()} releases everything;
 *   <li>{@link #capabilitiesKeepTheirPromises}: {@code velocity()} is the evaluation's velocity; {@code particles()}
 *       names state tensors with one row per particle (and masses, one per particle); {@code batches()} evaluates
 *       the risk of the rows it is given, (1/2|B|) Σ_{i∈B} (f(x_i) − y_i)², so that all rows in any order give the
 *       full evaluation and the batches of a partition, weighted |B|/n, average to it;
 *   <li>{@link #backendsAgree}: the same numbers on every backend (1e-10 relative).
 * </ul>
 *
 * <p>Every check throws {@link AssertionError} saying what differs, so a test in any framework calls
 * {@link #verify()} (or single checks). Use a smooth activation for the gradient check: central differences
 * across a ReLU kink measure a one-sided slope.
 */
public final class DiscretizationKit implements Kit {
  private final Discretization plugin;
  private final VariationalProblem problem;
  private final Map<String, ?> options;
  private final List<Backend> backends;
  private Metric metric = Metric.IDENTITY;
  private long seed = 1;
  private int coordinates = 48;
  private double gradientTolerance = 1e-6;

  private DiscretizationKit(Discretization plugin, VariationalProblem problem, Map<String, ?> options) {
    this.plugin = plugin;
    this.problem = problem;
    this.options = options;
    this.backends = KitSupport.backends();
  }

  /**
   * @param plugin the discretization under test
   * @param problem a small problem it computes (a few dozen samples, a few dozen unknowns)
   * @param options its {@code discretization} options
   * @return the kit, with the identity metric, seed 1, 48 coordinates per state tensor and tolerance 1e-6
   */
  public static DiscretizationKit of(Discretization plugin, VariationalProblem problem, Map<String, ?> options) {
    return new DiscretizationKit(plugin, problem, options);
  }

  /** @return this, checking the velocity in the metric {@code metric} */
  public DiscretizationKit metric(Metric metric) {
    this.metric = metric;
    return this;
  }

  /** @return this, discretizing from {@code seed} */
  public DiscretizationKit seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** @return this, comparing G·v with −∇E to {@code tolerance} relative to the largest |∂E/∂θ| checked */
  public DiscretizationKit gradientTolerance(double tolerance) {
    this.gradientTolerance = tolerance;
    return this;
  }

  /** @return the backends the checks run on: every available one on the test path */
  public List<Backend> backends() {
    return backends;
  }

  /** @return the five checks on every backend, then {@link #backendsAgree} */
  @Override
  public List<Check> checks() {
    List<Check> checks = new ArrayList<>();
    for (Backend b : backends) {
      checks.add(new Check("velocityIsTheMetricGradient on " + b.id(), () -> velocityIsTheMetricGradient(b)));
      checks.add(new Check("linearStructureGivesTheVelocity on " + b.id(), () -> linearStructureGivesTheVelocity(b)));
      checks.add(new Check("predictionsGiveTheRisk on " + b.id(), () -> predictionsGiveTheRisk(b)));
      checks.add(new Check("tensorsAreReleased on " + b.id(), () -> tensorsAreReleased(b)));
      checks.add(new Check("capabilitiesKeepTheirPromises on " + b.id(), () -> capabilitiesKeepTheirPromises(b)));
    }
    checks.add(new Check("backendsAgree", this::backendsAgree));
    return checks;
  }

  /** G·v = −∇E at the initial state, ∇E by central differences, for up to 48 coordinates of each moving tensor. */
  public void velocityIsTheMetricGradient(Backend backend) {
    try (DiscreteFlow flow = flow(backend)) {
      Map<String, double[]> velocity = velocity(flow);
      Map<String, double[]> gv = metric.times(flow, velocity);
      List<String> errors = new ArrayList<>();
      double largest = 0;
      Map<String, double[]> gradient = new LinkedHashMap<>();
      for (String name : velocity.keySet()) {
        Tensor t = flow.state().get(name);
        double[] theta = t.toDoubleArray();
        double[] g = new double[theta.length];
        for (int i : sampled(theta.length)) {
          double eps = 1e-6 * Math.max(1, Math.abs(theta[i]));
          double[] moved = theta.clone();
          moved[i] = theta[i] + eps;
          KitSupport.set(t, moved);
          double up = flow.evaluate(false).energy();
          moved[i] = theta[i] - eps;
          KitSupport.set(t, moved);
          double down = flow.evaluate(false).energy();
          g[i] = (up - down) / (2 * eps); // ∂E/∂θ_i
          largest = Math.max(largest, Math.abs(g[i]));
        }
        KitSupport.set(t, theta);
        gradient.put(name, g);
      }
      for (String name : velocity.keySet()) {
        double[] g = gradient.get(name);
        for (int i : sampled(g.length)) {
          if (!(Math.abs(gv.get(name)[i] + g[i]) <= gradientTolerance * Math.max(largest, 1e-300))) {
            errors.add(String.format(Locale.ROOT, "%s[%d]: G·v = %.9g but −∂E/∂θ = %.9g", name, i, gv.get(name)[i], -g[i]));
          }
        }
      }
      require(errors.isEmpty(), backend, "the velocity is not −G⁻¹∇E (central differences, tolerance "
          + gradientTolerance + " of max |∂E/∂θ| = " + largest + "): " + KitSupport.some(errors));
    }
  }

  /** With {@code linear()}: the velocity of the unknown is −(A u − b), matrix-free and dense, and A is symmetric. */
  public void linearStructureGivesTheVelocity(Backend backend) {
    try (DiscreteFlow flow = flow(backend)) {
      if (flow.linear().isEmpty()) {
        return;
      }
      LinearFlow linear = flow.linear().get();
      Tensor u = flow.state().get(linear.unknown());
      require(u != null, backend, "linear().unknown() names '" + linear.unknown() + "', which is not in state() "
          + flow.state().keySet());
      double[] v = velocity(flow).get(linear.unknown());
      require(v != null, backend, "the velocity has no entry for the linear unknown '" + linear.unknown() + "'");
      Tensor au = linear.apply(u);
      double[] matrixFree = residual(au.toDoubleArray(), linear.rhs().toDoubleArray());
      au.release();
      Tensor dense = linear.operator().matmul(u, false, false, 1.0);
      double[] withA = residual(dense.toDoubleArray(), linear.rhs().toDoubleArray());
      dense.release();
      close(backend, "v = −(apply(u) − b)", v, matrixFree, 1e-10);
      close(backend, "v = −(operator()·u − b)", v, withA, 1e-10);
      double[] a = linear.operator().toDoubleArray();
      int k = u.rows();
      double scale = KitSupport.maxAbs(a);
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < i; j++) {
          require(Math.abs(a[i * k + j] - a[j * k + i]) <= 1e-14 * scale, backend, "A is not symmetric: A[" + i + "]["
              + j + "] = " + a[i * k + j] + ", A[" + j + "][" + i + "] = " + a[j * k + i]);
        }
      }
    }
  }

  /** R = (1/2n) Σ (f(x_i) − y_i)² of {@code predictions(train)} is the risk part of the energy, and {@code risk(train)}. */
  public void predictionsGiveTheRisk(Backend backend) {
    try (DiscreteFlow flow = flow(backend)) {
      Dataset train = problem.train();
      Tensor f = flow.predictions(train);
      require(f.rows() == train.n() && f.cols() == 1, backend, "predictions(train) is " + f.rows() + "×" + f.cols()
          + ", not an n×1 column (n = " + train.n() + ")");
      double[] fx = f.toDoubleArray();
      f.release();
      double risk = 0;
      for (int i = 0; i < fx.length; i++) {
        risk += (fx[i] - train.y()[i]) * (fx[i] - train.y()[i]);
      }
      risk /= 2.0 * train.n();
      double part = flow.evaluate(false).risk();
      require(Math.abs(risk - part) <= 1e-12 * Math.max(1e-300, Math.abs(part)), backend, "the risk of predictions(train)"
          + " is " + risk + " but evaluate() reports " + part);
      require(Math.abs(flow.risk(train) - part) <= 1e-12 * Math.max(1e-300, Math.abs(part)), backend,
          "risk(train) is " + flow.risk(train) + " but evaluate() reports " + part);
      require(problem.loss() == Loss.SQUARED, backend, "the kit checks squared-loss problems");
    }
  }

  /**
   * Released evaluations, predictions and parameters leave the count of live tensors unchanged (once what a
   * flow keeps, such as A and b, is formed), are never the state itself (the state stays usable after they
   * are released), and {@code close()} brings the count back to where it was before discretizing.
   */
  public void tensorsAreReleased(Backend backend) {
    long before = Lifetime.live();
    DiscreteFlow flow = flow(backend);
    flow.linear().ifPresent(l -> {
      l.operator();
      l.rhs();
    });
    long[] live = new long[3];
    for (int round = 0; round < live.length; round++) {
      Evaluation e = flow.evaluate(true);
      e.velocity().values().forEach(Tensor::release);
      flow.predictions(problem.train()).release();
      flow.parameters().values().forEach(Tensor::release);
      flow.state().forEach((name, t) -> {
        try {
          t.sum();
        } catch (IllegalStateException released) {
          throw new AssertionError(label(backend) + ": state tensor '" + name + "' was released with a velocity, a"
              + " prediction or a parameter: those must be new tensors", released);
        }
      });
      live[round] = Lifetime.live();
    }
    require(live[1] == live[0] && live[2] == live[0], backend, "each evaluate/predictions/parameters round leaves"
        + " tensors behind: live tensors after three rounds " + live[0] + ", " + live[1] + ", " + live[2]);
    flow.close();
    require(Lifetime.live() == before, backend, "close() leaves " + (Lifetime.live() - before) + " tensors unreleased");
  }

  /**
   * What the flow's capabilities promise, each where the flow has it (1e-10 relative: only the order of sums differs):
   * {@code velocity()} equals {@code evaluate(true).velocity()}; {@code particles()} names state tensors whose rows (or
   * entries) are its {@code count()} particles, and a rank-1 state tensor of masses, one per particle;
   * {@code batches()} has n samples, gives the full energy and velocity for all rows in reverse order, the risk ½(f(x_i) − y_i)² of
   * {@code predictions(train)} for a batch of the one row i, and velocities that, over a partition into three
   * batches weighted |B|/n, average to the full velocity.
   */
  public void capabilitiesKeepTheirPromises(Backend backend) {
    try (DiscreteFlow flow = flow(backend)) {
      Evaluation full = flow.evaluate(true);
      Map<String, double[]> v = arrays(full.velocity());
      Map<String, double[]> alone = arrays(flow.velocity());
      require(alone.keySet().equals(v.keySet()), backend, "velocity() gives " + alone.keySet() + " but evaluate(true)"
          + " gives " + v.keySet());
      v.forEach((name, expected) -> close(backend, "velocity() of " + name, alone.get(name), expected, 1e-10));
      flow.particles().ifPresent(particles -> {
        for (String name : particles.positions()) {
          Tensor t = flow.state().get(name);
          require(t != null, backend, "particles() names position '" + name + "', which is not in state() "
              + flow.state().keySet());
          require(t.rows() == particles.count(), backend, "particles() counts " + particles.count() + " particles but"
              + " position '" + name + "' has " + t.rows() + " rows");
        }
        particles.masses().ifPresent(name -> {
          Tensor t = flow.state().get(name);
          require(t != null && t.shape().length == 1 && t.rows() == particles.count(), backend, "particles() names"
              + " masses '" + name + "', which is not a state tensor of " + particles.count() + " entries");
        });
      });
      flow.batches().ifPresent(batches -> {
        int n = problem.train().n();
        require(batches.samples() == n, backend, "batches() has " + batches.samples() + " samples, the training set "
            + n);
        int[] reversed = new int[n];
        for (int i = 0; i < n; i++) {
          reversed[i] = n - 1 - i;
        }
        Evaluation all = batches.evaluate(reversed, true);
        close(backend, "energy of a batch of every row", new double[] {all.energy()}, new double[] {full.energy()},
            1e-10);
        arrays(all.velocity()).forEach((name, got) -> close(backend, "velocity of " + name + " on a batch of every row",
            got, v.get(name), 1e-10));
        double[] f = flow.predict(problem.train());
        for (int i : new int[] {0, n / 2, n - 1}) {
          Evaluation one = batches.evaluate(new int[] {i}, false);
          double r = f[i] - problem.train().y()[i];
          close(backend, "risk of the batch {" + i + "}, ½(f(x_i) − y_i)²", new double[] {one.risk()},
              new double[] {0.5 * r * r}, 1e-10);
        }
        Map<String, double[]> average = new LinkedHashMap<>();
        int[] cuts = {0, n / 5, n / 2, n};
        for (int c = 0; c + 1 < cuts.length; c++) {
          int[] rows = java.util.stream.IntStream.range(cuts[c], cuts[c + 1]).toArray();
          double weight = (double) rows.length / n;
          arrays(batches.evaluate(rows, true).velocity()).forEach((name, vb) -> {
            double[] sum = average.computeIfAbsent(name, k -> new double[vb.length]);
            for (int i = 0; i < sum.length; i++) {
              sum[i] += weight * vb[i];
            }
          });
        }
        average.forEach((name, got) -> close(backend, "the |B|/n-weighted average of the velocity of " + name
            + " over three batches", got, v.get(name), 1e-10));
      });
    }
  }

  /** @return the tensors as arrays, released */
  private static Map<String, double[]> arrays(Map<String, Tensor> tensors) {
    Map<String, double[]> out = new LinkedHashMap<>();
    tensors.forEach((name, t) -> out.put(name, t.toDoubleArray()));
    tensors.values().forEach(Tensor::release);
    return out;
  }

  /** Energy, its parts, the velocity and the predictions agree on every backend to 1e-10 relative. */
  public void backendsAgree() {
    KitSupport.requireTwo(backends, "backendsAgree");
    Map<String, double[]> reference = null;
    String referenceId = null;
    for (Backend b : backends) {
      Map<String, double[]> numbers = new LinkedHashMap<>();
      try (DiscreteFlow flow = flow(b)) {
        Evaluation e = flow.evaluate(true);
        numbers.put("energy", new double[] {e.energy()});
        e.parts().forEach((name, value) -> numbers.put("part " + name, new double[] {value}));
        e.velocity().forEach((name, v) -> numbers.put("velocity " + name, v.toDoubleArray()));
        e.velocity().values().forEach(Tensor::release);
        Tensor f = flow.predictions(problem.train());
        numbers.put("predictions", f.toDoubleArray());
        f.release();
      }
      if (reference == null) {
        reference = numbers;
        referenceId = b.id();
        continue;
      }
      if (!reference.keySet().equals(numbers.keySet())) {
        throw new AssertionError(plugin.id() + ": " + referenceId + " gives " + reference.keySet() + " but " + b.id()
            + " gives " + numbers.keySet());
      }
      for (String key : numbers.keySet()) {
        close(b, key + " on " + b.id() + " vs " + referenceId, numbers.get(key), reference.get(key), 1e-10);
      }
    }
  }

  /**
   * @return the flow discretized from the seed, its moving state tensors then shifted by N(0, 1/4) noise
   *     drawn from the seed (the same on every backend), so that no check runs at a special point such as 0
   */
  private DiscreteFlow flow(Backend backend) {
    DiscreteFlow flow = plugin.discretize(problem, options, new FlowContext(backend, Precision.FLOAT64, seed));
    SplittableRandom rng = new SplittableRandom(seed);
    for (String name : velocity(flow).keySet()) {
      Tensor t = flow.state().get(name);
      double[] values = t.toDoubleArray();
      for (int i = 0; i < values.length; i++) {
        values[i] += 0.5 * rng.nextGaussian();
      }
      KitSupport.set(t, values);
    }
    return flow;
  }

  /** @return the velocity at the current state as arrays (the tensors released) */
  private static Map<String, double[]> velocity(DiscreteFlow flow) {
    return arrays(flow.evaluate(true).velocity());
  }

  /** @return the coordinates checked: all, or {@link #coordinates} spread evenly */
  private int[] sampled(int size) {
    int count = Math.min(size, coordinates);
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      out[i] = (int) ((long) i * size / count);
    }
    return out;
  }

  /** @return −(ax − b) */
  private static double[] residual(double[] ax, double[] b) {
    double[] r = new double[ax.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = b[i] - ax[i];
    }
    return r;
  }

  private void close(Backend backend, String what, double[] actual, double[] expected, double tolerance) {
    KitSupport.close(label(backend), what, actual, expected, tolerance);
  }

  private void require(boolean ok, Backend backend, String message) {
    KitSupport.require(ok, label(backend), message);
  }

  private String label(Backend backend) {
    return "discretization '" + plugin.id() + "' on " + backend.id();
  }
}
