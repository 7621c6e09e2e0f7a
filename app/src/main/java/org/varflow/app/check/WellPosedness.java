package org.varflow.app.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.varflow.api.flow.LinearFlow;
import org.varflow.api.problem.RandomFeatureModel;
import org.varflow.api.problem.Regularizer;
import org.varflow.api.problem.Tikhonov;
import org.varflow.api.tensor.Tensor;
import org.varflow.app.run.RunPlan;

/**
 * The well-posedness report of a prepared run: geometry, convexity modulus λ, uniqueness of the
 * minimizer, the predicted decay of the gradient flow, the largest stable explicit step, and the
 * stability of the minimizer under data perturbation.
 *
 * @param rows label → value, in report order
 * @param wellPosed whether the minimizer exists, is unique and depends stably on the data
 * @param reason why not, when not
 */
record WellPosedness(Map<String, Object> rows, boolean wellPosed, String reason) {
  private static final int POWER_ITERATIONS = 500;

  static WellPosedness of(RunPlan plan) {
    Map<String, Object> rows = new LinkedHashMap<>();
    rows.put("model", plan.problem().model().kind());
    rows.put("discretization", plan.discretization().id());
    Optional<LinearFlow> linear = plan.flow().linear();
    if (!(plan.problem().model() instanceof RandomFeatureModel) || linear.isEmpty()) {
      rows.put("geometry", "Wasserstein-2 over parameter measures (particle ODE)");
      rows.put("convexity", "not λ-convex: no uniqueness or rate guarantee");
      rows.put("verdict", "valid spec; well-posedness is not guaranteed for this model");
      return new WellPosedness(rows, true, null);
    }
    double alpha = plan.problem().regularizers().stream()
        .filter(r -> r instanceof Tikhonov).mapToDouble(Regularizer::strength).sum();
    LinearFlow flow = linear.get();
    int k = flow.rhs().rows();
    int n = plan.problem().train().n();
    double lipschitz = largestEigenvalue(flow, plan.seed());
    rows.put("geometry", "L²(π): E(a) = (1/2n)|Ta − y|² + (α/2)‖a‖², T a = ∫ a(w)σ(w·x)π(dw)");
    rows.put("unknowns", k + " (" + flow.unknown() + ")");
    rows.put("lambda (convexity modulus = α)", alpha);
    rows.put("L (largest eigenvalue of A, power iteration)", lipschitz);
    rows.put("largest stable explicit step 2/L", 2 / lipschitz);
    List<String> problems = new ArrayList<>();
    if (alpha > 0) {
      rows.put("minimizer", "unique (α-convex): solves A u = b");
      rows.put("predicted decay", String.format("E(u_t) − E* ≤ e^{−%.6g t} (E(u_0) − E*)", 2 * alpha));
      rows.put("data stability", String.format(
          "‖a*(y) − a*(y')‖_{L²(π)} ≤ C‖y − y'‖_rms / √α with C = 1/2, i.e. ≤ %.6g ‖y − y'‖_rms", 0.5 / Math.sqrt(alpha)));
    } else if (k > n) {
      problems.add("α = 0 and " + k + " unknowns > n = " + n + " data points: the minimizer is not unique");
    } else {
      rows.put("minimizer", "unique only if the " + n + "×" + k + " feature matrix has full column rank (α = 0)");
      rows.put("predicted decay", "no rate: λ = 0");
      problems.add("α = 0: no stability bound for the minimizer under data perturbation; add a tikhonov regularizer");
    }
    if (problems.isEmpty()) {
      rows.put("verdict", "well posed");
    }
    return new WellPosedness(rows, problems.isEmpty(), problems.isEmpty() ? null : String.join("; ", problems));
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
