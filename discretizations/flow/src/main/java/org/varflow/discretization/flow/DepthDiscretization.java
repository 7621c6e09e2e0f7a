package org.varflow.discretization.flow;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.SpecException;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Discretization;
import org.varflow.api.flow.FlowContext;
import org.varflow.api.flow.Footprint;
import org.varflow.api.io.Npy;
import org.varflow.api.plugin.Refusal;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.problem.WeightDecay;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;
import org.varflow.model.flow.FlowModel;

/**
 * What both discretizations in depth share: the options {@code depth} (L), {@code width} (M), {@code depth_scheme}
 * and {@code init}, the refusal, the footprint, and the initial parameters. {@code init.kind: gaussian} draws
 * a_{jl} ~ N(0, a_scale² I) and w_{jl} ~ N(0, w_scale² I/D), the particle family's convention with p = D (so that
 * w·z = O(|z|/√D)), from seeds split off the run's seed (a, then W, then V); {@code init.npy: DIR} reads
 * {@code DIR/a.npy} and {@code DIR/W.npy} of shape (L, M, D) and {@code DIR/V.npy} of shape (D, d), the layout a run
 * writes to {@code params/}.
 */
abstract class DepthDiscretization implements Discretization {
  private static final int DEFAULT_DEPTH = 8;
  private static final int DEFAULT_WIDTH = 16;
  private static final OptionSchema OPTIONS = OptionSchema.builder()
      .integer("depth", null, "L, the number of layers (h = 1/L)").atLeast(1)
      .computedDefault(DEFAULT_DEPTH + ", or the layers of init.npy")
      .integer("width", null, "M, the particles per layer").atLeast(1)
      .computedDefault(DEFAULT_WIDTH + ", or the width of init.npy")
      .choice("depth_scheme", DepthScheme.EULER.id(), "the scheme in depth: euler (z + hF(z), the ResNet) or heun"
          + " (explicit trapezoid, second order)", Arrays.stream(DepthScheme.values()).map(DepthScheme::id).toList())
      .node("init", "initial parameters", OptionSchema.builder()
          .variant("kind", "gaussian", "a_jl ~ N(0, a_scale² I), w_jl ~ N(0, w_scale² I/D)", OptionSchema.builder()
              .number("a_scale", 1.0, "standard deviation of each entry of a_jl").atLeast(0)
              .number("w_scale", 1.0, "w_jl ~ N(0, w_scale² I/D)").atLeast(0)
              .build(), true)
          .variant(new OptionSchema.Variant("npy", null, "DIR/a.npy and DIR/W.npy (L, M, D), DIR/V.npy (D, d)",
              OptionSchema.builder().path("npy", "directory holding a.npy, W.npy and V.npy").build(), false))
          .build())
      .build();

  /** @return whether the inner weights w move */
  abstract boolean learnsW();

  @Override
  public final OptionSchema options() {
    return OPTIONS;
  }

  /** Computes the flow model with weight decay; other regularizers are refused, naming why. */
  @Override
  public final Optional<Refusal> refusal(VariationalProblem problem) {
    return Refusal.unlessComputes(problem, "discretization '" + id() + "'", FlowModel.class::isInstance,
        WeightDecay.class::isInstance, "it takes " + WeightDecay.KIND + ", (κ/2)∫∫|θ|² dρ_τ dτ over the layer-indexed"
        + " parameters; particle potentials V(a, w) take a scalar outer weight, and this flow's a is in R^D");
  }

  /**
   * The stored layer states z_0 … z_L (and Heun's L stages), the n×M arrays of one layer's pullback (z wᵀ, Φ, G, c aᵀ),
   * the parameters with their velocity and copies, and the embedded inputs.
   */
  @Override
  public final Optional<Footprint> footprint(VariationalProblem problem, Options options, int bytesPerElement) {
    int n = problem.train().n();
    int dim = ((FlowModel) problem.model()).dim();
    int depth = options.getInt("depth", DEFAULT_DEPTH);
    int width = options.getInt("width", DEFAULT_WIDTH);
    int states = depth + 1 + (DepthScheme.parse(options.getString("depth_scheme")) == DepthScheme.HEUN ? depth : 0);
    double layerStates = (double) states * n * dim;
    double activations = 4.0 * n * width;
    double elements = layerStates + activations + 8.0 * depth * width * dim + 2.0 * n * (dim + problem.train().d());
    return Optional.of(Footprint.of(elements, bytesPerElement, options.keyPath(layerStates >= activations ? "depth"
        : "width"), String.format(Locale.ROOT, "%d n×D layer states and 4 n×M activations, n = %d, D = %d, L = %d,"
        + " M = %d", states, n, dim, depth, width)));
  }

  @Override
  public final DiscreteFlow discretize(VariationalProblem problem, Options options, FlowContext context) {
    Refusal.require(refusal(problem));
    FlowModel model = (FlowModel) problem.model();
    Dataset train = problem.train();
    TensorFactory tensors = context.backend().tensors();
    Precision precision = context.precision();
    Options init = options.sub("init").orElseThrow();
    DepthScheme scheme = DepthScheme.parse(options.getString("depth_scheme"));
    if (init.has("npy")) {
      Path dir = Path.of(init.getString("npy"));
      Npy.Array a = Npy.readFinite(dir.resolve("a.npy"));
      if (a.shape().length != 3 || a.shape()[2] != model.dim()) {
        throw new SpecException(dir.resolve("a.npy").toString(), "has shape " + Arrays.toString(a.shape())
            + ", but the flow's a has shape (L, M, D) with D = model.dim = " + model.dim());
      }
      int depth = a.shape()[0];
      int width = a.shape()[1];
      requireMatches(options, "depth", depth, dir);
      requireMatches(options, "width", width, dir);
      int[] layered = {depth, width, model.dim()};
      Tensor w = tensors.of(precision, read(dir.resolve("W.npy"), layered), depth * width, model.dim());
      Tensor v = tensors.of(precision, read(dir.resolve("V.npy"), new int[] {model.dim(), train.d()}), model.dim(),
          train.d());
      return new ResidualFlow(problem, tensors.of(precision, a.data(), depth * width, model.dim()), w, v, depth, scheme,
          learnsW(), context);
    }
    int depth = options.getInt("depth", DEFAULT_DEPTH);
    int rows = depth * options.getInt("width", DEFAULT_WIDTH);
    SplittableRandom seeds = new SplittableRandom(context.seed());
    Tensor a = tensors.normal(precision, seeds.nextLong(), 0, init.getDouble("a_scale"), rows, model.dim());
    Tensor w = tensors.normal(precision, seeds.nextLong(), 0, init.getDouble("w_scale") / Math.sqrt(model.dim()), rows,
        model.dim());
    Tensor v = model.embedding(train.d(), tensors, precision, seeds.nextLong());
    return new ResidualFlow(problem, a, w, v, depth, scheme, learnsW(), context);
  }

  /** @throws SpecException naming {@code key} when it is given and differs from the {@code value} in a.npy */
  private static void requireMatches(Options options, String key, int value, Path dir) {
    if (options.has(key) && options.getInt(key) != value) {
      throw new SpecException(options.keyPath(key), options.getInt(key) + " does not match the " + value + " of "
          + dir.resolve("a.npy") + " (shape (L, M, D))");
    }
  }

  /** @return the elements of {@code file}, checked to have {@code shape}, else a message naming the file and both */
  private static double[] read(Path file, int[] shape) {
    Npy.Array array = Npy.readFinite(file);
    if (!Arrays.equals(array.shape(), shape)) {
      throw new SpecException(file.toString(), "has shape " + Arrays.toString(array.shape()) + ", but the flow needs "
          + Arrays.toString(shape));
    }
    return array.data();
  }
}
