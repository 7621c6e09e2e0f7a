package org.varflow.discretization.random.features;

import java.util.Locale;
import java.util.Optional;
import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Discretization;
import org.varflow.api.flow.Footprint;
import org.varflow.api.flow.FlowContext;
import org.varflow.api.plugin.Refusal;
import org.varflow.api.problem.RandomFeatureModel;
import org.varflow.api.problem.VariationalProblem;

/**
 * The exact infinite-width limit of the random feature model, by the representer theorem.
 *
 * <p>With k(x, x') = E_π[σ(w·x) σ(w·x')], K_ij = k(x_i, x_j), and the outer function restricted to
 * a(w) = Σ_j c_j σ(w·x_j), the predictor is f(x) = Σ_i c_i k(x, x_i) and
 *
 * <pre>
 *   E(c)   = (1/2n) |Kc − y|² + (α/2) cᵀKc                    (∫ a² dπ = cᵀKc)
 *   δE/δa  = Σ_j [(1/n)(Kc − y)_j + α c_j] σ(w·x_j)           (L²(π) derivative, in the span)
 *   dc/dt  = −(A c − b),  A = K/n + α I,  b = y/n              (da/dt = −δE/δa, coefficientwise)
 * </pre>
 *
 * The L²(π) gradient flow of the random feature model started in span{σ(w·x_i)} stays there and is
 * exactly this flow; its metric in c is K, so the velocity is K⁻¹∇_c E = A c − b (with a minus sign).
 *
 * <p>k is evaluated in closed form for ReLU (gaussian or sphere π: the degree-1 arc-cosine kernel) and
 * for sin with gaussian π; otherwise as a Monte Carlo estimate from {@code kernel_samples} features
 * (default 20000) drawn from the flow's seed, which is logged and reported by the flow's
 * {@code toString()}. State: {@code c} (n), starting at 0.
 */
public final class KernelDiscretization implements Discretization {
  /** The {@code discretization.kind} of this plugin. */
  public static final String ID = "kernel";
  private static final System.Logger LOG = System.getLogger(KernelDiscretization.class.getName());
  private static final OptionSchema OPTIONS = OptionSchema.builder()
      .integer("kernel_samples", null, "features in the Monte Carlo estimate of k (used when k has no closed form)")
      .atLeast(1).computedDefault("20000, when k has no closed form")
      .build();

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String description() {
    return "infinite-width random features (representer theorem): f = Σ c_i k(x, x_i), dc/dt = −(K/n + αI)c + y/n;"
        + " k in closed form for relu and sin (gaussian π), else a Monte Carlo estimate of k with kernel_samples samples";
  }

  @Override
  public OptionSchema options() {
    return OPTIONS;
  }

  @Override
  public Optional<Refusal> refusal(VariationalProblem problem) {
    return Features.refusal(problem, ID);
  }

  /** K (n×n), kept, and A = K/n + αI (n×n) of a stationary solve: the size is the data's. */
  @Override
  public Optional<Footprint> footprint(VariationalProblem problem, Options options, int bytesPerElement) {
    int n = problem.train().n();
    return Optional.of(Footprint.of(2.0 * n * n, bytesPerElement, "data.train", String.format(Locale.ROOT,
        "the n×n kernel matrix and operator, n = %d", n)));
  }

  @Override
  public DiscreteFlow discretize(VariationalProblem problem, Options options, FlowContext context) {
    RandomFeatureModel model = Features.model(problem, ID);
    double alpha = Features.tikhonov(problem);
    int d = Features.dimension(problem.train(), model);
    int samples = FeatureKernel.hasClosedForm(model) ? 0 : options.getInt("kernel_samples", 20000);
    FeatureKernel kernel = FeatureKernel.of(model, d, samples, Features.featureSeed(context.seed()),
        context.backend().tensors(), context.precision());
    KernelFlow flow = new KernelFlow(problem, model, alpha, kernel, context.backend().tensors(), context.precision());
    LOG.log(samples > 0 ? System.Logger.Level.INFO : System.Logger.Level.DEBUG, flow.toString());
    return flow;
  }
}
