package org.varflow.discretization.flow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.flow.FlowContext;
import org.varflow.api.flow.MiniBatches;
import org.varflow.api.flow.Particles;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.Loss;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.problem.WeightDecay;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;
import org.varflow.model.flow.FlowModel;

/**
 * The flow model discretized in depth with L layers of M particles (a_{jl}, w_{jl}) ∈ R^D × R^D, h = 1/L:
 *
 * <pre>
 *   z_0     = V x                                        V (D×d) frozen
 *   z_{l+1} = z_l + h F_l(z_l)   (or Heun's step)        F_l(z) = (1/M) Σ_j a_{jl} σ(w_{jl}·z)
 *   f(x)    = 1ᵀ z_L
 *   E       = (1/2n) Σ_i (f(x_i) − y_i)² + Σ_k (κ_k/2LM) Σ_{j,l} (|a_{jl}|² + |w_{jl}|²)
 *   p_L     = ∂R/∂z_L = (1/n) r 1ᵀ,  p_l from p_{l+1} by the scheme's discrete adjoint ({@link DepthScheme})
 *   v_θ     = −(LM) ∂E/∂θ_{jl}                           the metric G = I/(LM): solver time is continuum time
 * </pre>
 *
 * The gradient is exact for the discrete network (a backward sweep over the stored layer states z_l and, for Heun,
 * the stages ẑ_l), not an approximation of the continuum's co-state.
 *
 * <p>State: {@code a} and, when w is learned ({@code resnet}), {@code W}, each an (L·M)×D matrix whose row lM + j is
 * particle j of layer l, of logical shape (L, M, D) ({@link #shape}). Frozen arrays are kept out of the state, so that
 * every solver moves and checkpoints exactly what moves, and a resumed run forms them again from the seed or the init
 * files: V always, and W for {@code flow-random-features}, whose velocity and state hold {@code a} only.
 * {@link #parameters()} holds all of them, {@code a}, {@code W} and {@code V}, which a run saves.
 */
final class ResidualFlow implements DiscreteFlow {
  private final FlowModel model;
  private final Dataset train;
  private final TensorFactory tensors;
  private final Precision precision;
  private final int depth;
  private final int width;
  private final DepthScheme scheme;
  private final boolean learnsW;
  private final List<WeightDecay> decays;
  private final Tensor a;
  private final Tensor w;
  private final Tensor v;
  private final Tensor z0;
  private final Tensor y;
  private final Tensor ones;
  private final Map<String, Tensor> state = new LinkedHashMap<>();

  /**
   * @param problem a flow problem whose regularizers are weight decays
   * @param a the outer weights, (L·M)×D, owned by the flow from now on
   * @param w the inner weights, (L·M)×D, owned by the flow from now on
   * @param v the embedding V, D×d, owned by the flow from now on
   * @param depth L
   * @param learnsW whether w moves (resnet) or is frozen (flow random features)
   */
  ResidualFlow(VariationalProblem problem, Tensor a, Tensor w, Tensor v, int depth, DepthScheme scheme,
      boolean learnsW, FlowContext context) {
    this.model = (FlowModel) problem.model();
    this.decays = problem.regularizers().stream().map(WeightDecay.class::cast).toList();
    this.train = problem.train();
    this.tensors = context.backend().tensors();
    this.precision = context.precision();
    this.depth = depth;
    this.width = a.rows() / depth;
    this.scheme = scheme;
    this.learnsW = learnsW;
    this.a = a;
    this.w = w;
    this.v = v;
    this.z0 = embed(train);
    this.y = tensors.of(precision, train.y(), train.n(), 1);
    double[] ones = new double[model.dim()];
    Arrays.fill(ones, 1.0);
    this.ones = tensors.of(precision, ones, 1, model.dim());
    state.put("a", a);
    if (learnsW) {
      state.put("W", w);
    }
  }

  @Override
  public Map<String, Tensor> state() {
    return state;
  }

  /** Copies of a, W and V. */
  @Override
  public Map<String, Tensor> parameters() {
    Map<String, Tensor> copies = new LinkedHashMap<>();
    copies.put("a", a.copy());
    copies.put("W", w.copy());
    copies.put("V", v.copy());
    return copies;
  }

  /** (L, M, D) for {@code a} and {@code W}; V as it is. */
  @Override
  public int[] shape(String name, Tensor tensor) {
    return name.equals("a") || name.equals("W") ? new int[] {depth, width, model.dim()} : tensor.shape();
  }

  @Override
  public String geometry() {
    return learnsW
        ? "L² over the layer-indexed parameters (a, w)(τ) — the mean-field control of a continuous ResNet"
        : "L² over the layer-indexed outer weights a(w, τ), w frozen — the flow random-feature model";
  }

  /** Releases the parameters, V, the embedded inputs and y. */
  @Override
  public void close() {
    Tensor.releaseAll(a, w, v, z0, y, ones);
  }

  @Override
  public Evaluation evaluate(boolean withVelocity) {
    return evaluate(z0, y, withVelocity);
  }

  /** f = 1ᵀ z_L for the embedded inputs z_0 = V x. */
  @Override
  public Tensor predictions(Dataset data) {
    Tensor z = embed(data);
    List<Layer> layers = layers();
    Tensor last = forward(z, layers, null, null);
    Tensor f = readout(last);
    Tensor.releaseAll(z, last);
    release(layers);
    return f;
  }

  /** @return the L·M particles θ_{jl}, positions a and (when learned) W, of equal mass 1/(LM) */
  @Override
  public Optional<Particles> particles() {
    return Optional.of(new Particles() {
      @Override
      public int count() {
        return depth * width;
      }

      @Override
      public List<String> positions() {
        return List.copyOf(state.keySet());
      }
    });
  }

  /** @return evaluation on batches of the training samples, embedded per call */
  @Override
  public Optional<MiniBatches> batches() {
    return Optional.of(MiniBatches.of(train, (batch, withVelocity) -> {
      Tensor zb = embed(batch);
      Tensor yb = tensors.of(precision, batch.y(), batch.n(), 1);
      try {
        return evaluate(zb, yb, withVelocity);
      } finally {
        Tensor.releaseAll(zb, yb);
      }
    }));
  }

  /** The formulas of the class comment on the embedded samples (zs, ys). */
  private Evaluation evaluate(Tensor zs, Tensor ys, boolean withVelocity) {
    List<Layer> layers = layers();
    List<Tensor> states = withVelocity ? new ArrayList<>() : null;
    List<Tensor> stages = withVelocity ? new ArrayList<>() : null;
    Tensor last = forward(zs, layers, states, stages);
    Tensor r = readout(last).axpyi(-1.0, ys);
    if (!withVelocity) {
      last.release();
    }
    Map<String, Double> parts = new LinkedHashMap<>();
    double risk = Loss.SQUARED.risk(r);
    parts.put(Evaluation.RISK, risk);
    double energy = risk;
    double squares = decays.isEmpty() ? 0 : a.squaredNorm() + w.squaredNorm();
    for (WeightDecay decay : decays) {
      double part = decay.strength() / (2.0 * depth * width) * squares;
      parts.merge(decay.kind(), part, Double::sum);
      energy += part;
    }
    Map<String, Tensor> velocity = null;
    if (withVelocity) {
      states.add(last);
      velocity = backward(r, layers, states, stages);
      states.subList(1, states.size()).forEach(Tensor::release);
      stages.forEach(Tensor::release);
    }
    r.release();
    release(layers);
    return new Evaluation(energy, parts, velocity);
  }

  /**
   * z_0 → z_L through the layers.
   *
   * @param states receives z_0 … z_{L−1} when not null (z_0 itself, not a copy), else the intermediate ones are released
   * @param stages receives the scheme's stages when not null
   * @return z_L, a new tensor
   */
  private Tensor forward(Tensor z, List<Layer> layers, List<Tensor> states, List<Tensor> stages) {
    Tensor current = z;
    for (Layer layer : layers) {
      Tensor next = scheme.step(layer, current, stages);
      if (states != null) {
        states.add(current);
      } else if (current != z) {
        current.release();
      }
      current = next;
    }
    return current;
  }

  /**
   * The backward sweep p_L = (1/n) r 1ᵀ → p_0, writing each layer's parameter velocity, then the weight decays' −κθ.
   *
   * @param states z_0 … z_L
   */
  private Map<String, Tensor> backward(Tensor r, List<Layer> layers, List<Tensor> states, List<Tensor> stages) {
    Tensor p = r.matmul(ones, false, false, 1.0 / r.rows());
    Tensor va = depth == 1 ? null : tensors.zeros(precision, depth * width, model.dim());
    Tensor vw = depth == 1 || !learnsW ? null : tensors.zeros(precision, depth * width, model.dim());
    for (int l = depth - 1; l >= 0; l--) {
      Layer.Pullback back = scheme.adjoint(layers.get(l), states.get(l), stages.isEmpty() ? null : stages.get(l), p,
          learnsW);
      p.release();
      p = back.state();
      if (depth == 1) {
        va = back.a();
        vw = back.w();
      } else {
        va.setRowsi(l * width, back.a());
        Tensor.releaseAll(back.a());
        if (learnsW) {
          vw.setRowsi(l * width, back.w());
          back.w().release();
        }
      }
    }
    p.release();
    Map<String, Tensor> velocity = new LinkedHashMap<>();
    for (WeightDecay decay : decays) {
      va.axpyi(-decay.strength(), a); // −(LM) ∂/∂θ of (κ/2LM)|θ|²
      if (learnsW) {
        vw.axpyi(-decay.strength(), w);
      }
    }
    velocity.put("a", va);
    if (learnsW) {
      velocity.put("W", vw);
    }
    return velocity;
  }

  /** @return f = 1ᵀ z_L per row, an n×1 column */
  private static Tensor readout(Tensor last) {
    return last.rowSums().reshape(last.rows(), 1);
  }

  /** @return z_0 = V x for the rows of {@code data}, n×D */
  private Tensor embed(Dataset data) {
    Tensor x = tensors.of(precision, data.x(), data.n(), data.d());
    Tensor z = x.matmul(v, false, true, 1.0);
    x.release();
    return z;
  }

  /** @return the layers' particles: rows lM … lM + M − 1 of a and W (copies), or a and W themselves when L = 1 */
  private List<Layer> layers() {
    List<Layer> layers = new ArrayList<>(depth);
    for (int l = 0; l < depth; l++) {
      layers.add(depth == 1 ? new Layer(a, w, model.activation(), 1.0)
          : new Layer(a.rows(l * width, (l + 1) * width), w.rows(l * width, (l + 1) * width), model.activation(),
              1.0 / depth));
    }
    return layers;
  }

  /** Releases the copies {@link #layers} made. */
  private void release(List<Layer> layers) {
    if (depth > 1) {
      layers.forEach(layer -> Tensor.releaseAll(layer.a(), layer.w()));
    }
  }
}
