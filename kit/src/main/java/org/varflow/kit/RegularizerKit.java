package org.varflow.kit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.varflow.api.problem.ParticlePotential;
import org.varflow.api.problem.Regularizer;
import org.varflow.api.problem.RegularizerKind;
import org.varflow.api.tensor.Backend;
import org.varflow.api.tensor.Lifetime;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/**
 * Checks a regularizer plugin that is a {@link ParticlePotential} — R = ∫V dρ, on m particles (1/m)Σ_j V(a_j, w_j)
 * — at m = 5 particles (a_j, w_j ∈ R³) drawn from N(0, 1) with a seed, on every available backend on the test path,
 * in float64:
 *
 * <ul>
 *   <li>{@link #velocityIsMinusTheGradient}: {@code addVelocity} adds −∇V(a_j, w_j) to the velocities it is given
 *       (nonzero, so that setting them instead of adding fails), with ∇ by central differences of
 *       {@code sum(a, W)}; {@code values(a, W)} has one entry per particle and sums to {@code sum(a, W)}; none of
 *       them changes a or W;
 *   <li>{@link #tensorsAreReleased}: {@code values}, {@code sum} and {@code addVelocity} leave the count of live
 *       tensors unchanged;
 *   <li>{@link #backendsAgree}: the same values, sum and velocities on every backend (1e-10 relative).
 * </ul>
 *
 * <p>A regularizer that is not a particle potential (a Sobolev or Tikhonov term of a density or feature model) acts
 * only inside the discretizations that compute it: the kit cannot check it alone ({@link #checks()} is empty and
 * {@link #skipped()} says so); it is checked through the {@link DiscretizationKit} of a discretization that
 * computes it, whose gradient check covers the regularizer's part of the energy. Every check throws
 * {@link AssertionError} naming the regularizer and the backend.
 */
public final class RegularizerKit implements Kit {
  private static final int M = 5;
  private static final int P = 3;
  private final Regularizer regularizer;
  private final List<Backend> backends;
  private long seed = 1;
  private double gradientTolerance = 1e-6;

  private RegularizerKit(Regularizer regularizer) {
    this.regularizer = regularizer;
    this.backends = KitSupport.backends();
  }

  /**
   * @param regularizer the regularizer under test
   * @return the kit, with seed 1 and gradient tolerance 1e-6
   */
  public static RegularizerKit of(Regularizer regularizer) {
    return new RegularizerKit(regularizer);
  }

  /**
   * @param kind the regularizer plugin
   * @param options its {@code regularizers[i]} node without {@code kind}, checked and completed by its options
   * @return the kit for the regularizer {@code kind} creates from them
   * @throws org.varflow.api.SpecException when the options do not fit
   */
  public static RegularizerKit of(RegularizerKind kind, Map<String, ?> options) {
    return of(kind.create(kind.options().node("regularizers[0]", options)));
  }

  /** @return this, drawing the particles and velocities from {@code seed} */
  public RegularizerKit seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** @return this, comparing the velocity with −∇V to {@code tolerance} relative to the largest |∂V/∂θ| */
  public RegularizerKit gradientTolerance(double tolerance) {
    this.gradientTolerance = tolerance;
    return this;
  }

  /** @return the backends the checks run on: every available one on the test path */
  public List<Backend> backends() {
    return backends;
  }

  /** @return for a particle potential the two checks on every backend, then {@link #backendsAgree}; else none */
  @Override
  public List<Check> checks() {
    List<Check> checks = new ArrayList<>();
    if (!(regularizer instanceof ParticlePotential)) {
      return checks;
    }
    for (Backend b : backends) {
      checks.add(new Check("velocityIsMinusTheGradient on " + b.id(), () -> velocityIsMinusTheGradient(b)));
      checks.add(new Check("tensorsAreReleased on " + b.id(), () -> tensorsAreReleased(b)));
    }
    checks.add(new Check("backendsAgree", this::backendsAgree));
    return checks;
  }

  @Override
  public List<String> skipped() {
    return regularizer instanceof ParticlePotential ? List.of() : List.of("every check: regularizer '"
        + regularizer.kind() + "' is not a ParticlePotential, so it acts only inside the discretizations that compute"
        + " it; check it through the DiscretizationKit of one of them");
  }

  /**
   * v ← v − ∇V by {@code addVelocity}, with ∂V/∂θ_i = (Σ V(θ + εe_i) − Σ V(θ − εe_i))/(2ε), ε = 1e-6·max(1, |θ_i|), at
   * every coordinate; {@code values} sums to {@code sum}; a and W unchanged.
   */
  public void velocityIsMinusTheGradient(Backend backend) {
    String label = label(backend);
    ParticlePotential potential = potential();
    TensorFactory tensors = backend.tensors();
    Draw d = new Draw(seed);
    try (Particles t = d.on(tensors)) {
      Tensor values = potential.values(t.a(), t.w());
      double[] v = values.toDoubleArray();
      values.release();
      KitSupport.require(v.length == M, label, "values(a, W) has " + v.length + " entries for " + M + " particles");
      double sum = potential.sum(t.a(), t.w());
      KitSupport.require(Math.abs(Arrays.stream(v).sum() - sum) <= 1e-12 * Math.max(1e-300, KitSupport.maxAbs(v) * M),
          label, "sum(a, W) = " + sum + " but the values sum to " + Arrays.stream(v).sum());
      potential.addVelocity(t.a(), t.w(), t.va(), t.vw());
      requireUnchanged(label, "a", t.a(), d.a);
      requireUnchanged(label, "W", t.w(), d.w);
      double[] added = concat(difference(t.va().toDoubleArray(), d.va),
          difference(t.vw().toDoubleArray(), d.vw));
      double[] theta = concat(d.a, d.w);
      double[] gradient = new double[theta.length];
      double largest = 0;
      for (int i = 0; i < theta.length; i++) {
        double eps = 1e-6 * Math.max(1, Math.abs(theta[i]));
        double[] moved = theta.clone();
        moved[i] = theta[i] + eps;
        double up = sum(potential, tensors, moved);
        moved[i] = theta[i] - eps;
        double down = sum(potential, tensors, moved);
        gradient[i] = (up - down) / (2 * eps); // ∂ΣV/∂θ_i
        largest = Math.max(largest, Math.abs(gradient[i]));
      }
      List<String> errors = new ArrayList<>();
      for (int i = 0; i < theta.length; i++) {
        if (!(Math.abs(added[i] + gradient[i]) <= gradientTolerance * Math.max(largest, 1e-300))) {
          errors.add(String.format(Locale.ROOT, "%s: added %.9g but −∂V/∂θ = %.9g", coordinate(i), added[i],
              -gradient[i]));
        }
      }
      KitSupport.require(errors.isEmpty(), label, "the velocity addVelocity adds is not −∇V (central differences,"
          + " tolerance " + gradientTolerance + " of max |∂V/∂θ| = " + largest + "): " + KitSupport.some(errors));
    }
  }

  /** Three rounds of {@code values}, {@code sum} and {@code addVelocity} leave the count of live tensors unchanged. */
  public void tensorsAreReleased(Backend backend) {
    ParticlePotential potential = potential();
    TensorFactory tensors = backend.tensors();
    Draw d = new Draw(seed);
    try (Particles t = d.on(tensors)) {
      long before = Lifetime.live();
      for (int round = 1; round <= 3; round++) {
        potential.values(t.a(), t.w()).release();
        potential.sum(t.a(), t.w());
        potential.addVelocity(t.a(), t.w(), t.va(), t.vw());
        KitSupport.require(Lifetime.live() == before, label(backend), "values (released), sum and addVelocity leave "
            + (Lifetime.live() - before) + " tensors live after " + round + " round" + (round > 1 ? "s" : ""));
      }
    }
  }

  /** {@code values}, {@code sum} and the velocities {@code addVelocity} gives agree on every backend to 1e-10 relative. */
  public void backendsAgree() {
    KitSupport.requireTwo(backends, "backendsAgree");
    ParticlePotential potential = potential();
    Map<String, double[]> reference = null;
    String referenceId = null;
    for (Backend b : backends) {
      TensorFactory tensors = b.tensors();
      Draw d = new Draw(seed);
      Map<String, double[]> numbers = new LinkedHashMap<>();
      try (Particles t = d.on(tensors)) {
        Tensor values = potential.values(t.a(), t.w());
        numbers.put("values", values.toDoubleArray());
        values.release();
        numbers.put("sum", new double[] {potential.sum(t.a(), t.w())});
        potential.addVelocity(t.a(), t.w(), t.va(), t.vw());
        numbers.put("velocity of a", t.va().toDoubleArray());
        numbers.put("velocity of W", t.vw().toDoubleArray());
      }
      if (reference == null) {
        reference = numbers;
        referenceId = b.id();
        continue;
      }
      for (String key : numbers.keySet()) {
        KitSupport.close(label(b), key + " on " + b.id() + " vs " + referenceId, numbers.get(key), reference.get(key),
            1e-10);
      }
    }
  }

  /** The seeded particles a (M), W (M×P) and starting velocities, the same on every backend. */
  /** Particles (a, W) and velocities (v_a, v_W) on a backend. */
  private record Particles(Tensor a, Tensor w, Tensor va, Tensor vw) implements AutoCloseable {
    @Override
    public void close() {
      Tensor.releaseAll(a, w, va, vw);
    }
  }

  private static final class Draw {
    final double[] a;
    final double[] w;
    final double[] va;
    final double[] vw;

    Draw(long seed) {
      SplittableRandom rng = new SplittableRandom(seed);
      a = gaussian(rng, M);
      w = gaussian(rng, M * P);
      va = gaussian(rng, M);
      vw = gaussian(rng, M * P);
    }

    /** @return the draw as tensors on {@code tensors}, float64, released when closed */
    Particles on(TensorFactory tensors) {
      return new Particles(tensors.of(Precision.FLOAT64, a, M), tensors.of(Precision.FLOAT64, w, M, P),
          tensors.of(Precision.FLOAT64, va, M), tensors.of(Precision.FLOAT64, vw, M, P));
    }

    private static double[] gaussian(SplittableRandom rng, int n) {
      double[] x = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = rng.nextGaussian();
      }
      return x;
    }
  }

  private ParticlePotential potential() {
    if (regularizer instanceof ParticlePotential potential) {
      return potential;
    }
    throw new IllegalStateException(skipped().get(0));
  }

  /** @return Σ_j V at θ = (a, W) flattened */
  private static double sum(ParticlePotential potential, TensorFactory tensors, double[] theta) {
    Tensor a = tensors.of(Precision.FLOAT64, Arrays.copyOfRange(theta, 0, M), M);
    Tensor w = tensors.of(Precision.FLOAT64, Arrays.copyOfRange(theta, M, theta.length), M, P);
    double sum = potential.sum(a, w);
    Tensor.releaseAll(a, w);
    return sum;
  }

  private static void requireUnchanged(String label, String name, Tensor t, double[] expected) {
    double[] actual = t.toDoubleArray();
    for (int i = 0; i < actual.length; i++) {
      KitSupport.require(Double.doubleToRawLongBits(actual[i]) == Double.doubleToRawLongBits(expected[i]), label,
          name + "[" + i + "] changed from " + expected[i] + " to " + actual[i] + ": values, sum and addVelocity read"
          + " a and W only");
    }
  }

  /** @return a[j] for the first M coordinates, W[j][k] for the others */
  private static String coordinate(int i) {
    return i < M ? "a[" + i + "]" : "W[" + (i - M) / P + "][" + (i - M) % P + "]";
  }

  private static double[] difference(double[] x, double[] y) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i] - y[i];
    }
    return out;
  }

  private static double[] concat(double[] x, double[] y) {
    double[] out = Arrays.copyOf(x, x.length + y.length);
    System.arraycopy(y, 0, out, x.length, y.length);
    return out;
  }

  private String label(Backend backend) {
    return "regularizer '" + regularizer.kind() + "' on " + backend.id();
  }
}
