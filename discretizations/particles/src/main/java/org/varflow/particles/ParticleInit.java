package org.varflow.particles;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.flow.FlowContext;
import org.varflow.api.flow.Footprint;
import org.varflow.api.io.NeuronFiles;
import org.varflow.api.plugin.Refusal;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.ParticlePotential;
import org.varflow.api.problem.TwoLayerModel;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.problem.WeightDecay;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/**
 * The width and initial particles every discretization of the particle family reads from its options:
 * {@code width} m (default 256, or taken from init files); {@code init.kind: gaussian} with {@code a_scale}
 * (a_j ~ N(0, a_scale²), default 1) and {@code w_scale} (w_j ~ N(0, w_scale² I/p), p the input dimension including
 * the bias column, default 1); or {@code init.npy: DIR} with {@code DIR/a.npy} of shape (m) and {@code DIR/W.npy}
 * of shape (m, p); {@code block}, the particles per block of the evaluation, and {@code activations}, whether the
 * velocity reuses the forward pass's activations (see {@link ParticleFlow}).
 */
public final class ParticleInit {
  private ParticleInit() {}

  /**
   * @param options a discretization's options
   * @return them, with {@code width} and {@code init} declared
   */
  public static OptionSchema.Builder declare(OptionSchema.Builder options) {
    return options
        .integer("width", null, "m, the number of particles").atLeast(1)
        .computedDefault("256, or the number of neurons in init.npy")
        .integer("block", null, "particles per block of the evaluation").atLeast(1)
        .computedDefault("all when the activations are kept, else the most whose n×block activations take 32 MiB,"
            + " at least 64")
        .choice("activations", "auto", "keep the forward pass's activations for the velocity, or form them again per"
            + " block (auto: keep them when they take at most a quarter of the free memory)",
            List.of("auto", "keep", "recompute"))
        .node("init", "initial particles", OptionSchema.builder()
            .variant("kind", "gaussian", "a_j ~ N(0, a_scale²), w_j ~ N(0, w_scale² I/d), d with the bias column",
                OptionSchema.builder()
                    .number("a_scale", 1.0, "standard deviation of a_j").atLeast(0)
                    .number("w_scale", 1.0, "w_j ~ N(0, w_scale² I/d)").atLeast(0)
                    .build(), true)
            .variant(NeuronFiles.INIT)
            .build());
  }

  /**
   * The refusal every discretization of the family gives: it computes the two-layer model with every regularizer that
   * is a {@link ParticlePotential} (weight decay, …).
   *
   * @param id the discretization's id, for the message
   * @return the first part of the problem it does not compute, else empty
   */
  public static Optional<Refusal> refusal(VariationalProblem problem, String id) {
    return Refusal.unlessComputes(problem, "discretization '" + id + "'", TwoLayerModel.class::isInstance,
        ParticlePotential.class::isInstance, "it takes regularizers that are particle potentials, such as "
        + WeightDecay.KIND);
  }

  /**
   * The arrays of a run of the family at its peak, released ones included (backends keep them for the next step), in
   * the blocked layout of {@link ParticleFlow}: the n×β arrays of a block ({@code activations} of them: Z_b, Φ_b and Ψ_b
   * for φ = σ(w·x), more for a variant that forms more), and Z_b and Φ_b of the test predictions (n_t×β each) when the
   * test set has another size; Φ and Ψ of every block (2 n×m) only with {@code activations: keep} (with {@code auto}
   * the flow keeps them only when they fit); a, W, their velocity (kept for reuse by a backend's pool once released),
   * the copies {@code parameters()} makes and their host arrays when a run writes them (m·(p + 1) each, p = d + 1); the
   * inputs as tensors, with the bias column, and X⊙r (n×p and n_t×p at most each); and {@code perParticle} more
   * elements per particle.
   *
   * @param activations the n×β arrays a block holds at its peak
   * @param perParticle elements per particle beyond those above: the masses and their velocity, draws of w, …
   * @param extra what those are, for the message ("" for none), e.g. {@code " and 8 draws of m×p"}
   */
  public static Optional<Footprint> footprint(VariationalProblem problem, Options options, int bytesPerElement,
      int activations, double perParticle, String extra) {
    int n = problem.train().n();
    int nTest = problem.testData().map(Dataset::n).orElse(0);
    int p = problem.train().d() + 1;
    int m = width(options);
    ParticleFlow.Blocks blocks = blocks(options);
    int block = blocks.size(n, m, bytesPerElement);
    double kept = blocks.activations() == ParticleFlow.Activations.KEEP ? 2.0 * n * m : 0;
    double testActivations = nTest == n ? 0 : 2.0 * nTest * block;
    double elements = (double) activations * n * block + kept + testActivations + (5.0 * (p + 1) + perParticle) * m
        + 3.0 * n * p + 2.0 * nTest * p;
    return Optional.of(Footprint.of(elements, bytesPerElement, options.keyPath("width"), String.format(Locale.ROOT,
        "%d n×β activations%s%s%s, n = %d, m = %d, β = %d", activations, kept > 0 ? " and 2 n×m kept" : "",
        testActivations > 0 ? " and 2 n_t×β" : "", extra, n, m, block)));
  }

  /** @return the blocks of the evaluation from {@code block} and {@code activations} */
  public static ParticleFlow.Blocks blocks(Options options) {
    return new ParticleFlow.Blocks(options.has("block") ? options.getInt("block") : 0,
        ParticleFlow.Activations.valueOf(options.getString("activations").toUpperCase(Locale.ROOT)));
  }

  /** @return m, from the options {@link #declare} declares */
  public static int width(Options options) {
    return NeuronFiles.width(options);
  }

  /**
   * @param problem a two-layer problem
   * @param options the discretization's options, checked and completed by a schema from {@link #declare}
   * @return the initial {a, W}, new tensors: a_j ~ N(0, a_scale²), w_j ~ N(0, w_scale² I/p) from two seeds split
   *     off the context's seed, or read from {@code init.npy}
   */
  public static Tensor[] initial(VariationalProblem problem, Options options, FlowContext context) {
    TwoLayerModel model = (TwoLayerModel) problem.model();
    int p = problem.train().d() + (model.bias() ? 1 : 0);
    TensorFactory tensors = context.backend().tensors();
    Options init = options.sub("init").orElseThrow();
    if (init.has("npy")) {
      return NeuronFiles.read(options, init, p, tensors, context.precision());
    }
    int m = options.getInt("width", NeuronFiles.DEFAULT_WIDTH);
    SplittableRandom seeds = new SplittableRandom(context.seed());
    Tensor a = tensors.normal(context.precision(), seeds.nextLong(), 0, init.getDouble("a_scale"), m);
    Tensor w = tensors.normal(context.precision(), seeds.nextLong(), 0, init.getDouble("w_scale") / Math.sqrt(p), m, p);
    return new Tensor[] {a, w};
  }
}
