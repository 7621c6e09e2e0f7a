package org.varflow.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.varflow.api.flow.LinearFlow;
import org.varflow.api.problem.Convexity;
import org.varflow.runtime.run.RunPlan;

/**
 * The well-posedness report of a prepared run ({@link Run#check()}): geometry, convexity modulus λ, uniqueness of the
 * minimizer, the predicted decay of the L² gradient flow, the largest stable explicit step, the
 * conditioning, and the stability of the minimizer under data perturbation.
 *
 * @param rows label → value, in report order
 * @param wellPosed whether the minimizer exists, is unique and depends stably on the data
 * @param reason why not, when not
 * @param warnings what will go wrong although the problem is well posed (e.g. an unstable solver step), each
 *     naming its spec key
 */
public record CheckReport(Map<String, Object> rows, boolean wellPosed, String reason, List<String> warnings) {
  /** The row of L, an upper estimate of the largest eigenvalue of A. */
  public static final String LIPSCHITZ = "L (largest eigenvalue of A, power iteration + residual)";
  /** Above this bound on cond(A) = L/μ the report flags the loss of conditioning. */
  private static final double ILL_CONDITIONED = 1e10;

  static CheckReport of(RunPlan plan) {
    Map<String, Object> rows = new LinkedHashMap<>();
    rows.put("model", plan.problem().model().kind());
    rows.put("discretization", plan.discretization().id());
    Optional<LinearFlow> linear = plan.flow().linear();
    Optional<Convexity> convexity = plan.problem().model().convexity(plan.problem().regularizers());
    if (linear.isEmpty() || convexity.isEmpty()) {
      rows.put("geometry", plan.flow().geometry());
      rows.put("convexity", "not λ-convex: no uniqueness or rate guarantee");
      rows.put("verdict", "valid spec; well-posedness is not guaranteed for this model");
      return new CheckReport(rows, true, null, List.of());
    }
    Convexity c = convexity.get();
    LinearFlow flow = linear.get();
    int k = flow.rhs().rows();
    int n = plan.problem().train().n();
    double lipschitz = flow.largestEigenvalueBound(plan.seed());
    rows.put("geometry", c.geometry());
    rows.put("unknowns", k + " (" + flow.unknown() + ")");
    rows.put("lambda (convexity modulus)", c.lambda());
    rows.put(LIPSCHITZ, lipschitz);
    rows.put("largest stable explicit step 2/L", 2 / lipschitz);
    List<String> warnings = plan.solver().instability(lipschitz, plan.solverOptions())
        .map(r -> r.key() + ": " + r.reason()).stream().toList();
    rows.put("solver " + plan.solver().id(), warnings.isEmpty() ? "stable on this problem" : "UNSTABLE (see warning)");
    List<String> problems = new ArrayList<>();
    if (c.lambda() > 0) {
      rows.put("minimizer", "unique (λ-convex): solves A u = b");
      rows.put("predicted decay", String.format("E(u_t) − E* ≤ e^{−%.6g t} (E(u_0) − E*)", 2 * c.decay()));
      double condition = lipschitz / c.decay();
      rows.put("conditioning", String.format("cond(A) ≤ L/μ = %.6g%s", condition,
          condition > ILL_CONDITIONED ? " — ILL-CONDITIONED: increase the regularization" : ""));
      rows.put("data stability", String.format("‖u*(y) − u*(y')‖_%s ≤ C‖y − y'‖_rms / √λ with C = %s, i.e. ≤ %.6g ‖y − y'‖_rms",
          c.norm(), c.stability() == 0.5 ? "1/2" : String.format("%.6g", c.stability()), c.stability() / Math.sqrt(c.lambda())));
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
    return new CheckReport(rows, problems.isEmpty(), problems.isEmpty() ? null : String.join("; ", problems), warnings);
  }
}
