package org.varflow.particles;

import java.util.ArrayList;
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
import org.varflow.api.problem.ParticlePotential;
import org.varflow.api.problem.TwoLayerModel;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/**
 * The particle flow of the mean-field two-layer network with squared loss and particle potentials V_k (weight decay
 * V = (κ/2)|θ|², or any {@link ParticlePotential}), the base of the particle family. Particles θ_j = (a_j, w_j) carry
 * masses μ_j: equal ones, 1/m, for the Wasserstein flow of {@code particles}, or masses in the state (tensor
 * {@code mass}) that the Fisher–Rao part of a Wasserstein–Fisher–Rao flow changes, with rates α (transport) and β
 * (reaction):
 *
 * <pre>
 *   f(x)  = Σ_j μ_j a_j φ(w_j, x)                                     φ(w, x) = σ(w·x) here
 *   E     = (1/2n) Σ_i (f(x_i) − y_i)² + Σ_k Σ_j μ_j V_k(a_j, w_j)
 *   V'_j  = a_j g_j + Σ_k V_k(θ_j), g = (1/n) Φᵀr                    the first variation δE/δρ at θ_j
 *   v_a   = −α (g + Σ_k ∂_a V_k)                                     Φ_ij = φ(w_j, x_i), r = f − y
 *   v_W   = −α ((1/n) diag(a) Ψᵀ diag(r) X + Σ_k ∇_w V_k)            ∇_w φ(w_j, x_i) = Ψ_ij x_i
 *   v_μ   = −β μ ⊙ V'                                                 (with masses only)
 * </pre>
 *
 * This is the gradient flow of E in the metric G = diag(μ_j/α on θ_j, 1/(βμ_j) on μ_j); with equal masses, α = 1 and
 * no reaction, G = I/m and v = −m∇E.
 *
 * <p>A discretization of the family extends this class and overrides {@link #features}: a smoothed particle method,
 * for one, averages φ and its slope over Gaussian perturbations of w. The flow then has the rest for free: energy,
 * velocity, predictions, mini-batches ({@link #batches()}) and the particle capability ({@link #particles()}:
 * positions {@code a} and {@code W}, masses {@code mass} when present). The state is {@code a} (length m), {@code W}
 * (m×p, p the input dimension with the bias column when the model has one) and, with masses, {@code mass}.
 *
 * <h2>Blocks of particles</h2>
 * Energy, velocity and predictions go over blocks of β particles ({@link ParticleInit}'s {@code block}): Z_b = X W_bᵀ,
 * Φ_b, Ψ_b are formed per block, f accumulates Φ_b (μ ⊙ a)_b, and the velocity of block b is written into the m×p
 * result. Φ_b and Ψ_b of the forward pass are kept for the velocity when all of them (2·n·m elements) take at most a
 * quarter of the memory the backend has free ({@link Activations}), and then, by default, in one block: measured,
 * smaller blocks only add each operation's overhead. Otherwise the velocity forms them again (one product X W_bᵀ more
 * per block), so that the flow holds O((n + m)·p + n·β) elements whatever m: a million particles fit where their n×m
 * activations would not. When they are formed again and φ is the base σ(w·x) ({@link #features} not overridden), the
 * flow hands the products through the activations to the backend whole — f = (1/m) {@link Tensor#activatedProduct
 * σ(X Wᵀ)(μ ⊙ a)} and g, Ψᵀ diag(r) X by {@link Tensor#activatedTransposedProducts} — in one call by default (a given
 * β cuts them into blocks): the backend forms the activations a cache-sized tile at a time (the jvm backend) or in
 * blocks of {@link Tensor#activationBlock} particles. A subclass's own features are formed per block of β particles,
 * by default the most whose n×β activations take 32 MiB (at least 64). With one block the evaluation is the unblocked
 * one; blocks change the results by round-off only (the order in which f sums the blocks).
 */
public class ParticleFlow implements DiscreteFlow {
  private final Dataset train;
  private final TwoLayerModel model;
  private final TensorFactory tensors;
  private final Precision precision;
  private final Tensor x;
  private final Tensor y;
  private final int m;
  private final Tensor mass;
  private final double transport;
  private final double reaction;
  private final List<ParticlePotential> potentials;
  private final Map<String, Tensor> state = new LinkedHashMap<>();
  private final int block;
  private final boolean keepFeatures;
  private final boolean fused;

  /**
   * Particles of equal mass 1/m: the Wasserstein gradient flow, v = −m∇E.
   *
   * @param problem a two-layer problem whose regularizers are all particle potentials
   * @param a the outer weights a_j, length m: the flow owns it from now on
   * @param w the inner weights w_j as rows, m×p: the flow owns it from now on
   * @param context the backend and precision of {@code a} and {@code w}
   * @throws IllegalArgumentException when the model is not two-layer or a regularizer is not a particle potential
   */
  public ParticleFlow(VariationalProblem problem, Tensor a, Tensor w, FlowContext context) {
    this(problem, a, w, context, Blocks.AUTO);
  }

  /**
   * Particles of equal mass 1/m, evaluated in the given blocks.
   *
   * @param blocks the block size and whether the activations are kept (see the class comment)
   */
  public ParticleFlow(VariationalProblem problem, Tensor a, Tensor w, FlowContext context, Blocks blocks) {
    this(problem, a, w, null, 1, 0, context, blocks);
  }

  /**
   * How the evaluation goes over blocks of particles.
   *
   * @param size β ≥ 1 particles per block, or 0 for the default (see the class comment: all of them when the
   *     activations are kept or the backend forms them, else {@link Tensor#activationBlock})
   * @param activations whether the forward pass's Φ_b and Ψ_b are kept for the velocity or formed again
   */
  public record Blocks(int size, Activations activations) {
    /** The default block size, activations kept when they fit. */
    public static final Blocks AUTO = new Blocks(0, Activations.AUTO);

    /**
     * @param n the samples an evaluation sees
     * @param m the particles
     * @param bytesPerElement 4 or 8
     * @return β: {@link #size()}, or {@link Tensor#activationBlock} (the most particles whose n×β activations take
     *     32 MiB, at least 64), and at most m
     */
    public int size(int n, int m, int bytesPerElement) {
      return size > 0 ? Math.min(m, size) : Tensor.activationBlock(n, m, bytesPerElement);
    }
  }

  /** Whether the velocity reuses the forward pass's activations (2·n·m elements) or forms them again per block. */
  public enum Activations {
    /** Kept when they take at most a quarter of the memory the backend has free (or when there is one block). */
    AUTO,
    /** Kept. */
    KEEP,
    /** Formed again: one product X W_bᵀ more per block, O(n·β) memory. */
    RECOMPUTE
  }

  /**
   * Particles with masses: the Wasserstein–Fisher–Rao gradient flow with transport rate α and reaction rate β.
   *
   * @param mass the masses μ_j &gt; 0, length m, owned by the flow from now on (state {@code mass})
   * @param transport α ≥ 0, the rate of the positions' transport
   * @param reaction β ≥ 0, the rate of the masses' change
   * @param blocks the block size and whether the activations are kept (see the class comment)
   */
  protected ParticleFlow(VariationalProblem problem, Tensor a, Tensor w, Tensor mass, double transport, double reaction,
      FlowContext context, Blocks blocks) {
    if (!(problem.model() instanceof TwoLayerModel twoLayer)) {
      throw new IllegalArgumentException("a particle flow needs a two-layer model, not '" + problem.model().kind() + "'");
    }
    this.potentials = problem.regularizers().stream().map(r -> {
      if (r instanceof ParticlePotential potential) {
        return potential;
      }
      throw new IllegalArgumentException("regularizer '" + r.kind() + "' is not a particle potential");
    }).toList();
    this.model = twoLayer;
    this.train = problem.train();
    this.tensors = context.backend().tensors();
    this.precision = context.precision();
    this.x = inputs(train);
    this.y = tensors.of(precision, train.y(), train.n(), 1);
    this.m = a.rows();
    int n = train.n();
    int blocked = blocks.size(n, m, precision.bytes());
    this.keepFeatures = switch (blocks.activations()) {
      case KEEP -> true;
      case RECOMPUTE -> false;
      case AUTO -> m <= blocked || context.backend().availableBytes()
          .stream().anyMatch(free -> 2.0 * n * m * precision.bytes() <= free / 4.0);
    };
    this.fused = !keepFeatures && !declaresFeatures(getClass());
    this.block = (keepFeatures || fused) && blocks.size() == 0 ? m : blocked;
    this.mass = mass;
    this.transport = transport;
    this.reaction = reaction;
    state.put("a", a);
    state.put("W", w);
    if (mass != null) {
      state.put("mass", mass);
    }
  }

  /**
   * Φ and, when asked, Ψ of inputs and a block of particles: the hook of the particle family.
   *
   * @param values Φ_ij = φ(w_j, x_i), n×β, owned by the caller
   * @param slopes Ψ_ij with ∇_w φ(w_j, x_i) = Ψ_ij x_i, n×β, owned by the caller; null when not asked for
   */
  public record Features(Tensor values, Tensor slopes) {}

  /**
   * @param inputs the inputs X as rows, n×p (with the bias column when the model has one); read only
   * @param w the inner weights of particles {@code first} … {@code first} + β − 1 as rows, β×p; read only
   * @param first the index of the block's first particle (a subclass with data per particle takes those rows)
   * @param withSlopes whether to compute Ψ too
   * @return φ(w, x) = σ(w·x) and its slope σ'(w·x) at Z = X Wᵀ; a subclass computes its own
   */
  protected Features features(Tensor inputs, Tensor w, int first, boolean withSlopes) {
    Tensor z = inputs.matmul(w, false, true, 1.0);
    Tensor values = z.activate(model.activation());
    Tensor slopes = withSlopes ? z.activateDerivative(model.activation()) : null;
    z.release();
    return new Features(values, slopes);
  }

  /** @return whether {@code type} or a superclass below ParticleFlow declares its own {@link #features} */
  private static boolean declaresFeatures(Class<?> type) {
    for (Class<?> c = type; c != ParticleFlow.class; c = c.getSuperclass()) {
      try {
        c.getDeclaredMethod("features", Tensor.class, Tensor.class, int.class, boolean.class);
        return true;
      } catch (NoSuchMethodException e) {
        // not declared here: look in the superclass
      }
    }
    return false;
  }

  /** @return the model's activation σ */
  protected final Activation activation() {
    return model.activation();
  }

  @Override
  public final Map<String, Tensor> state() {
    return state;
  }

  /** Releases X, y and the particles; a subclass that keeps more releases it and calls this. */
  @Override
  public void close() {
    Tensor.releaseAll(x, y);
    DiscreteFlow.super.close();
  }

  @Override
  public final Evaluation evaluate(boolean withVelocity) {
    return evaluate(x, y, true, withVelocity);
  }

  /** The velocity without the potentials' energy sums. */
  @Override
  public final Map<String, Tensor> velocity() {
    return evaluate(x, y, false, true).velocity();
  }

  /** f = Φ (μ ⊙ a), an n×1 column, over blocks of particles. */
  @Override
  public final Tensor predictions(Dataset data) {
    Tensor inputs = inputs(data);
    Tensor f = forward(inputs, false, null);
    inputs.release();
    return f;
  }

  /** @return the particles per block this flow evaluates with */
  public final int block() {
    return block;
  }

  /**
   * f = Σ_b Φ_b (μ ⊙ a)_b over the blocks b of particles.
   *
   * @param kept receives each block's features, Ψ included, when not null (for the velocity); else they are released
   */
  private Tensor forward(Tensor inputs, boolean withSlopes, List<Features> kept) {
    Tensor weights = mass == null ? state.get("a") : state.get("a").mul(mass);
    double scale = mass == null ? 1.0 / m : 1.0;
    Tensor f = null;
    for (int first = 0; first < m; first += block) {
      int last = Math.min(m, first + block);
      Tensor w = rowsOf("W", first, last);
      Tensor c = last - first == m ? weights : weights.rows(first, last);
      if (fused) {
        f = accumulate(f, inputs.activatedProduct(w, model.activation(), c, scale));
      } else {
        Features phi = features(inputs, w, first, withSlopes);
        f = accumulate(f, phi.values().matmul(c, false, false, scale));
        if (kept != null) {
          kept.add(phi);
        } else {
          Tensor.releaseAll(phi.values());
          if (phi.slopes() != null) {
            phi.slopes().release();
          }
        }
      }
      release(w, "W");
      if (c != weights) {
        c.release();
      }
    }
    if (weights != state.get("a")) {
      weights.release();
    }
    return f;
  }

  /**
   * @param sum a running sum owned by the caller, or null before the first term
   * @param term a new tensor of the sum's shape, released here once added
   * @return sum + term (in place), or {@code term} itself when there is no sum yet
   */
  protected static Tensor accumulate(Tensor sum, Tensor term) {
    if (sum == null) {
      return term;
    }
    sum.addi(term);
    term.release();
    return sum;
  }

  /** @return rows first … last − 1 of the state tensor {@code name}: the tensor itself when that is all of it */
  private Tensor rowsOf(String name, int first, int last) {
    Tensor t = state.get(name);
    return last - first == m ? t : t.rows(first, last);
  }

  /** Releases a block taken by {@link #rowsOf}, unless it is the state tensor itself. */
  private void release(Tensor block, String name) {
    if (block != state.get(name)) {
      block.release();
    }
  }

  /** @return positions {@code a} and {@code W}, and the masses {@code mass} when the particles carry them */
  @Override
  public final Optional<Particles> particles() {
    return Optional.of(new Particles() {
      @Override
      public int count() {
        return m;
      }

      @Override
      public List<String> positions() {
        return List.of("a", "W");
      }

      @Override
      public Optional<String> masses() {
        return mass == null ? Optional.empty() : Optional.of("mass");
      }
    });
  }

  /** @return evaluation on batches of the training samples, gathered on the host per call */
  @Override
  public final Optional<MiniBatches> batches() {
    return Optional.of(MiniBatches.of(train, (batch, withVelocity) -> {
      Tensor xb = inputs(batch);
      Tensor yb = tensors.of(precision, batch.y(), batch.n(), 1);
      try {
        return evaluate(xb, yb, true, withVelocity);
      } finally {
        Tensor.releaseAll(xb, yb);
      }
    }));
  }

  /**
   * @return {@code path_norm} Σ_j μ_j |a_j| ‖w_j‖ (μ_j = 1/m without masses), an estimate of the Barron norm of f, and
   *     {@code a_l2} (Σ_j μ_j a_j²)^{1/2}, the L²(ρ) norm of the outer weights
   */
  @Override
  public Map<String, Double> diagnostics() {
    Tensor a = state.get("a");
    Tensor w = state.get("W");
    Tensor w2 = w.mul(w);
    Tensor sums = w2.rowSums();
    Tensor norms = sums.sqrt(); // ‖w_j‖
    Tensor abs = a.abs();
    Tensor a2 = a.mul(a);
    Tensor weighted = mass == null ? null : abs.mul(norms);
    double path = mass == null ? abs.dot(norms) / m : weighted.dot(mass);
    double l2 = Math.sqrt(mass == null ? a2.sum() / m : a2.dot(mass));
    Tensor.releaseAll(w2, sums, norms, abs, a2, weighted);
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("path_norm", path);
    out.put("a_l2", l2);
    return out;
  }

  /** @return Wasserstein-2 over parameter measures, or Wasserstein–Fisher–Rao when the particles carry masses */
  @Override
  public String geometry() {
    return mass == null ? "Wasserstein-2 over parameter measures (particle ODE)"
        : "Wasserstein–Fisher–Rao over parameter measures (particle ODE with masses)";
  }

  /**
   * The formulas of the class comment on the samples (xs, ys), over blocks of particles.
   *
   * @param withEnergy whether to integrate the potentials (the energy is NaN without)
   */
  private Evaluation evaluate(Tensor xs, Tensor ys, boolean withEnergy, boolean withVelocity) {
    Tensor a = state.get("a");
    Tensor w = state.get("W");
    int n = xs.rows();
    List<Features> kept = withVelocity && keepFeatures ? new ArrayList<>() : null;
    Tensor r = forward(xs, kept != null, kept).axpyi(-1.0, ys);
    double risk = Loss.SQUARED.risk(r);
    Map<String, Double> parts = new LinkedHashMap<>();
    parts.put(Evaluation.RISK, risk);
    double energy = risk;
    Tensor firstVariation = null; // V' = a ⊙ g + Σ_k V_k, for the masses' velocity
    for (ParticlePotential potential : withEnergy || (withVelocity && mass != null) ? potentials
        : List.<ParticlePotential>of()) {
      Tensor values = potential.values(a, w);
      double part = mass == null ? values.sum() / m : values.dot(mass); // Σ_j μ_j V(a_j, w_j)
      parts.merge(potential.kind(), part, Double::sum);
      energy += part;
      firstVariation = accumulate(firstVariation, values);
    }
    if (!withVelocity) {
      r.release();
      if (firstVariation != null) {
        firstVariation.release();
      }
      return new Evaluation(withEnergy ? energy : Double.NaN, parts, null);
    }
    Tensor[] gw = backward(xs, r, kept); // g = (1/n) Φᵀr, (1/n) diag(a) Ψᵀ diag(r) X
    Tensor g = gw[0];
    Tensor vw = gw[1];
    r.release();
    Map<String, Tensor> velocity = new LinkedHashMap<>();
    Tensor vmu = null;
    if (mass != null) {
      vmu = g.mul(a);
      if (firstVariation != null) {
        vmu.addi(firstVariation);
      }
      vmu.muli(mass).scalei(-reaction); // v_μ = −β μ ⊙ (a ⊙ g + Σ V)
    }
    if (firstVariation != null) {
      firstVariation.release();
    }
    Tensor va = g.scalei(-1);
    for (ParticlePotential potential : potentials) {
      potential.addVelocity(a, w, va, vw);
    }
    if (transport != 1) {
      va.scalei(transport);
      vw.scalei(transport);
    }
    velocity.put("a", va);
    velocity.put("W", vw);
    if (vmu != null) {
      velocity.put("mass", vmu);
    }
    return new Evaluation(withEnergy ? energy : Double.NaN, parts, velocity);
  }

  /**
   * @param kept the forward pass's features per block, released here; null to form them again
   * @return g = (1/n) Φᵀr (length m) and −(1/n) diag(a) Ψᵀ diag(r) X (m×p), block by block
   */
  private Tensor[] backward(Tensor xs, Tensor r, List<Features> kept) {
    int n = xs.rows();
    Tensor xr = xs.mulColumnVector(r);
    Tensor g = m <= block ? null : tensors.zeros(precision, m);
    Tensor vw = m <= block ? null : tensors.zeros(precision, m, xs.cols());
    for (int first = 0, b = 0; first < m; first += block, b++) {
      int last = Math.min(m, first + block);
      Tensor gb;
      Tensor product;
      if (fused) {
        Tensor w = rowsOf("W", first, last);
        Tensor[] products = xs.activatedTransposedProducts(w, model.activation(), r, xr, 1.0 / n, -1.0 / n);
        release(w, "W");
        gb = products[0].reshape(last - first);
        product = products[1];
      } else {
        Features phi;
        if (kept != null) {
          phi = kept.get(b);
        } else {
          Tensor w = rowsOf("W", first, last);
          phi = features(xs, w, first, true);
          release(w, "W");
        }
        gb = phi.values().matmul(r, true, false, 1.0 / n).reshape(last - first);
        product = phi.slopes().matmul(xr, true, false, -1.0 / n);
        Tensor.releaseAll(phi.values(), phi.slopes());
      }
      Tensor ab = rowsOf("a", first, last);
      Tensor vwb = product.mulColumnVector(ab);
      Tensor.releaseAll(product);
      release(ab, "a");
      if (g == null) {
        g = gb;
        vw = vwb;
      } else {
        g.setRowsi(first, gb);
        vw.setRowsi(first, vwb);
        Tensor.releaseAll(gb, vwb);
      }
    }
    xr.release();
    return new Tensor[] {g, vw};
  }

  /** X, with the bias column (x, 1) when the model has a bias. */
  private Tensor inputs(Dataset data) {
    return model.bias()
        ? tensors.of(precision, data.inputsWithBias(), data.n(), data.d() + 1)
        : tensors.of(precision, data.x(), data.n(), data.d());
  }
}
