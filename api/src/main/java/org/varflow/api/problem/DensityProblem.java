package org.varflow.api.problem;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.varflow.api.SpecException;
import org.varflow.api.plugin.Refusal;

/**
 * A {@link DensityModel} problem checked for a tensor-product discretization, with its Sobolev
 * regularizers combined: G = Σ_j α_j g_j multiplies ∫|∇u|²ω and L = Σ_j α_j l_j multiplies ∫u²ω.
 *
 * @param model the density model
 * @param dimension the number of coordinates of Ω: k = d + 1 for a box, 2 for a circle
 * @param gradientStrength G
 * @param l2Strength L
 * @param regularized whether any Sobolev regularizer is present (its energy is then reported)
 */
public record DensityProblem(DensityModel model, int dimension, double gradientStrength, double l2Strength,
    boolean regularized) {

  /**
   * @param discretization id of the discretization, for messages
   * @return why a discretization of the density model does not compute {@code problem}: another model, or a
   *     regularizer other than Sobolev
   */
  public static Optional<Refusal> refusal(VariationalProblem problem, String discretization) {
    return Refusal.unlessComputes(problem, "discretization '" + discretization + "'", DensityModel.class::isInstance,
        Set.of(Sobolev.KIND));
  }

  /**
   * @param discretization id of the discretization, for messages
   * @param maxDimension the largest k it builds tensor products in
   * @throws SpecException naming the key at fault when the problem does not fit: a {@link #refusal}, the
   *     loss, or {@code model.domain}
   */
  public static DensityProblem of(VariationalProblem problem, String discretization, int maxDimension) {
    Refusal.require(refusal(problem, discretization));
    DensityModel model = (DensityModel) problem.model();
    if (problem.loss() != Loss.SQUARED) {
      throw new SpecException("loss", discretization + " supports the squared loss only, not " + problem.loss());
    }
    int k = problem.train().d() + 1;
    ParameterDomain domain = model.domain();
    if (domain.parameterDimension() != k) {
      throw new SpecException("model.domain", domain.isCircle()
          ? "a circle domain (w on a circle, θ = (w, b) ∈ R³) needs inputs in R², but the data have d = "
              + problem.train().d()
          : "has dimension " + domain.dimension() + " but θ = (w, b) has k = d + 1 = " + k + " components");
    }
    if (domain.dimension() > maxDimension) {
      throw new SpecException("model.domain", discretization + " builds tensor products in at most " + maxDimension
          + " parameter dimensions (θ = (w, b), k = d + 1), but the data have d = " + problem.train().d()
          + " so k = " + k + "; use a Monte Carlo discretization instead");
    }
    double gradientStrength = 0;
    double l2Strength = 0;
    List<Regularizer> regularizers = problem.regularizers();
    for (Regularizer r : regularizers) {
      Sobolev s = (Sobolev) r;
      gradientStrength += s.strength() * s.gradientWeight();
      l2Strength += s.strength() * s.l2Weight();
    }
    return new DensityProblem(model, domain.dimension(), gradientStrength, l2Strength, !regularizers.isEmpty());
  }
}
