package org.varflow.discretization.random.features;

import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Discretization;
import org.varflow.api.flow.Footprint;
import org.varflow.api.flow.FlowContext;
import org.varflow.api.io.NeuronFiles;
import org.varflow.api.plugin.Refusal;
import org.varflow.api.problem.FeatureDistribution;
import org.varflow.api.problem.RandomFeatureModel;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/**
 * Monte Carlo discretizations of the random feature model, the family's plugin point: m frozen features
 * w_j drawn by {@link #sample}, the outer function a(w_j) = a_j learned, f(x) = (1/m) Σ_j a_j σ(w_j·x), with
 * the L²(π) flow da_j/dt = −m ∂E/∂a_j and Tikhonov (α/2) ∫ a² dπ ≈ (α/2m) Σ_j a_j².
 *
 * <p>A new sampling rule (quasi-Monte Carlo, orthogonal features, ...) is a subclass with an id, a
 * description and {@link #sample} (and, with options of its own, {@link #options()} built on {@link #declare}); the
 * options, the refusal of other problems, the flow and its linear
 * structure, and init files are shared. Options: {@code width} m (default 256, or taken from init files);
 * {@code init.kind: zeros} (default) or {@code init.kind: gaussian} with {@code a_scale} (a_j ~ N(0,
 * a_scale²)), with the features drawn from the flow's seed; or {@code init.npy: DIR} with {@code DIR/a.npy}
 * of shape (m) and the frozen features {@code DIR/W.npy} of shape (m, d), d including the bias column.
 *
 * <p>State: {@code a} (m) and the frozen {@code W} (m×d); the velocity holds {@code a} only.
 */
public abstract class SampledFeatures implements Discretization {
  private static final OptionSchema OPTIONS = declare(OptionSchema.builder()).build();

  /**
   * @return {@code options} with the options every sampled-feature discretization has ({@code width}, {@code init});
   *     a sampling rule with options of its own adds them and returns the whole from {@link #options()}
   */
  protected static OptionSchema.Builder declare(OptionSchema.Builder options) {
    return options
        .integer("width", null, "m, the number of features").atLeast(1)
        .computedDefault("256, or the number of neurons in init.npy")
        .node("init", "initial outer weights (features W from the run's seed)", OptionSchema.builder()
            .variant("kind", "zeros", "a = 0", OptionSchema.EMPTY, true)
            .variant("kind", "gaussian", "a_j ~ N(0, a_scale²)",
                OptionSchema.builder().number("a_scale", 1.0, "standard deviation of a_j").atLeast(0).build(), false)
            .variant(NeuronFiles.INIT)
            .build());
  }

  /**
   * Draws the m frozen features.
   *
   * @param pi the feature distribution π: {@code gaussian} w ~ N(0, s² I/d) or {@code sphere} w uniform on
   *     the sphere of radius s; each w_j should have law π
   * @param m the number of features
   * @param d their dimension, including the bias column when the model has one
   * @param rng seeded from the run's seed: the same features on every backend
   * @param options the {@code discretization} node, checked and completed by {@link #options()} (a sampling rule
   *     reads its own options there)
   * @return W, row-major m×d
   */
  protected abstract double[] sample(FeatureDistribution pi, int m, int d, SplittableRandom rng, Options options);

  /** @return the shared options ({@link #declare}); a sampling rule with options of its own overrides this */
  @Override
  public OptionSchema options() {
    return OPTIONS;
  }

  @Override
  public Optional<Refusal> refusal(VariationalProblem problem) {
    return Features.refusal(problem, id());
  }

  /** Φ = σ(XWᵀ) (n×m, formed from one more n×m product), the m×m operator A of a stationary solve, and W. */
  @Override
  public Optional<Footprint> footprint(VariationalProblem problem, Options options, int bytesPerElement) {
    int n = problem.train().n();
    int d = Features.dimension(problem.train(), Features.model(problem, id()));
    int m = NeuronFiles.width(options);
    return Optional.of(Footprint.of(2.0 * n * m + (double) m * m + 2.0 * m * d, bytesPerElement, options.keyPath("width"),
        String.format(Locale.ROOT, "the n×m features formed twice and the m×m operator, n = %d, m = %d", n, m)));
  }

  @Override
  public DiscreteFlow discretize(VariationalProblem problem, Options options, FlowContext context) {
    RandomFeatureModel model = Features.model(problem, id());
    double alpha = Features.tikhonov(problem);
    int d = Features.dimension(problem.train(), model);
    TensorFactory tensors = context.backend().tensors();
    Precision p = context.precision();
    Options init = options.sub("init").orElseThrow();
    Tensor[] aw = init.has("npy")
        ? NeuronFiles.read(options, init, d, tensors, p)
        : sampled(options, init, model, d, tensors, p, context.seed());
    return new RandomFeatureFlow(problem, model, alpha, aw[0], aw[1], tensors, p);
  }

  /** W from the feature seed; a = 0 or a_j ~ N(0, a_scale²) from the init seed. */
  private Tensor[] sampled(Options options, Options init, RandomFeatureModel model, int d,
      TensorFactory tensors, Precision p, long seed) {
    int m = options.getInt("width", NeuronFiles.DEFAULT_WIDTH);
    Tensor a = init.getString("kind").equals("zeros")
        ? tensors.zeros(p, m)
        : tensors.normal(p, Features.initSeed(seed), 0, init.getDouble("a_scale"), m);
    Tensor w = tensors.of(p, sample(model.features(), m, d, new SplittableRandom(Features.featureSeed(seed)), options),
        m, d);
    return new Tensor[] {a, w};
  }
}
