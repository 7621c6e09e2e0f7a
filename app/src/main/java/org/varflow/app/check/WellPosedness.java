package org.varflow.app.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.varflow.api.flow.LinearFlow;
import org.varflow.api.problem.DensityModel;
import org.varflow.api.problem.Model;
import org.varflow.api.problem.RandomFeatureModel;
import org.varflow.api.problem.Sobolev;
import org.varflow.api.problem.Tikhonov;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Tensor;
import org.varflow.app.run.RunPlan;

/**
 * The well-posedness report of a prepared run: geometry, convexity modulus λ, uniqueness of the
 * minimizer, the predicted decay of the L² gradient flow, the largest stable explicit step, the
 * conditioning, and the stability of the minimizer under data perturbation.
 *
 * @param rows label → value, in report order
 * @param wellPosed whether the minimizer exists, is unique and depends stably on the data
 * @param reason why not, when not
 */
record WellPosedness(Map<String, Object> rows, boolean wellPosed, String reason) {
  private static final int POWER_ITERATIONS = 500;
  /** Above this bound on cond(A) = L/μ the report flags the loss of conditioning. */
  private static final double ILL_CONDITIONED = 1e10;

  /**
   * The convex structure of a quadratic problem.
   *
   * @param geometry the space and norm in which the energy is λ-convex
   * @param lambda λ in that norm
   * @param decay μ, the convexity modulus of the discrete L² flow (its energy gap decays like e^{−2μt})
   * @param norm the name of the norm in the data-stability bound
   */
  private record Convexity(String geometry, double lambda, double decay, String norm) {}

  static WellPosedness of(RunPlan plan) {
    Map<String, Object> rows = new LinkedHashMap<>();
    rows.put("model", plan.problem().model().kind());
    rows.put("discretization", plan.discretization().id());
    Optional<LinearFlow> linear = plan.flow().linear();
    Optional<Convexity> convexity = convexity(plan.problem());
    if (linear.isEmpty() || convexity.isEmpty()) {
      rows.put("geometry", "Wasserstein-2 over parameter measures (particle ODE)");
      rows.put("convexity", "not λ-convex: no uniqueness or rate guarantee");
      rows.put("verdict", "valid spec; well-posedness is not guaranteed for this model");
      return new WellPosedness(rows, true, null);
    }
    Convexity c = convexity.get();
    LinearFlow flow = linear.get();
    int k = flow.rhs().rows();
    int n = plan.problem().train().n();
    double lipschitz = largestEigenvalue(flow, plan.seed());
    rows.put("geometry", c.geometry());
    rows.put("unknowns", k + " (" + flow.unknown() + ")");
    rows.put("lambda (convexity modulus)", c.lambda());
    rows.put("L (largest eigenvalue of A, power iteration)", lipschitz);
    rows.put("largest stable explicit step 2/L", 2 / lipschitz);
    List<String> problems = new ArrayList<>();
    if (c.lambda() > 0) {
      rows.put("minimizer", "unique (λ-convex): solves A u = b");
      rows.put("predicted decay", String.format("E(u_t) − E* ≤ e^{−%.6g t} (E(u_0) − E*)", 2 * c.decay()));
      double condition = lipschitz / c.decay();
      rows.put("conditioning", String.format("cond(A) ≤ L/μ = %.6g%s", condition,
          condition > ILL_CONDITIONED ? " — ILL-CONDITIONED: increase the regularization" : ""));
      rows.put("data stability", String.format("‖u*(y) − u*(y')‖_%s ≤ C‖y − y'‖_rms / √λ with C = 1/2, i.e. ≤ %.6g ‖y − y'‖_rms",
          c.norm(), 0.5 / Math.sqrt(c.lambda())));
    } else if (k > n) {
      problems.add("λ = 0 and " + k + " unknowns > n = " + n + " data points: the minimizer is not unique");
    } else {
      rows.put("minimizer", "unique only if the " + n + "×" + k + " design matrix has full column rank (λ = 0)");
      rows.put("predicted decay", "no rate: λ = 0");
      problems.add("λ = 0: no stability bound for the minimizer under data perturbation; add regularization");
    }
    if (problems.isEmpty()) {
      rows.put("verdict", "well posed");
    }
    return new WellPosedness(rows, problems.isEmpty(), problems.isEmpty() ? null : String.join("; ", problems));
  }

  /** Tikhonov on random features: α-convex in L²(π); Sobolev on densities: α-convex in H¹_ω(Ω). */
  private static Optional<Convexity> convexity(VariationalProblem problem) {
    Model model = problem.model();
    if (model instanceof RandomFeatureModel) {
      double alpha = problem.regularizers().stream().filter(r -> r instanceof Tikhonov).mapToDouble(r -> r.strength()).sum();
      return Optional.of(new Convexity("L²(π): E(a) = (1/2n)|Ta − y|² + (α/2)‖a‖², T a = ∫ a(w)σ(w·x)π(dw)",
          alpha, alpha, "{L²(π)}"));
    }
    if (model instanceof DensityModel density) {
      List<Sobolev> sobolev = problem.regularizers().stream().filter(r -> r instanceof Sobolev).map(r -> (Sobolev) r).toList();
      double alpha = sobolev.stream().mapToDouble(Sobolev::strength).sum();
      // J is α-convex in ‖u‖²_S = ∫(g|∇u|² + l u²)ω; in L² the modulus is α·l·min_Ω ω
      double l = sobolev.stream().mapToDouble(s -> s.strength() * s.l2Weight()).sum();
      return Optional.of(new Convexity("H¹_ω(Ω), Ω = " + density.domain() + ", ω " + density.weight().kind()
          + "; natural (Neumann) boundary condition", alpha, l * minWeight(density), "{H¹_ω}"));
    }
    return Optional.empty();
  }

  /** min_Ω ω: 1 for the uniform weight; the Gaussian weight is smallest where |θ| is largest (a far corner). */
  private static double minWeight(DensityModel model) {
    double[] lower = model.domain().lower();
    double[] upper = model.domain().upper();
    double[] corner = new double[lower.length];
    for (int i = 0; i < corner.length; i++) {
      corner[i] = Math.max(Math.abs(lower[i]), Math.abs(upper[i]));
    }
    return model.weight().value(model.domain().parameters(corner));
  }

  /** L = max eigenvalue of the symmetric A, by power iteration u ← Au/‖Au‖ from a seeded start. */
  private static double largestEigenvalue(LinearFlow flow, long seed) {
    Tensor u = flow.rhs().factory().normal(flow.rhs().precision(), seed, 0, 1, flow.rhs().rows());
    double estimate = 0;
    for (int i = 0; i < POWER_ITERATIONS; i++) {
      u.scalei(1 / Math.sqrt(u.squaredNorm()));
      Tensor au = flow.apply(u);
      double next = au.dot(u);
      u = au;
      if (Math.abs(next - estimate) <= 1e-10 * Math.abs(next)) {
        return next;
      }
      estimate = next;
    }
    return estimate;
  }
}
