package org.varflow.api.problem;

import java.util.List;
import org.varflow.api.SpecException;

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
   * @param maxDimension the largest k it builds tensor products in
   * @throws SpecException naming {@code model.kind}, {@code loss}, {@code model.domain} or
   *     {@code regularizers[i].kind} when the problem does not fit
   */
  public static DensityProblem of(VariationalProblem problem, String discretization, int maxDimension) {
    if (!(problem.model() instanceof DensityModel model)) {
      throw new SpecException("model.kind", discretization + " discretizes the density model (" + DensityModel.KIND
          + "), not '" + problem.model().kind() + "'");
    }
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
    for (int i = 0; i < regularizers.size(); i++) {
      if (!(regularizers.get(i) instanceof Sobolev s)) {
        throw new SpecException("regularizers[" + i + "].kind", discretization + " supports only " + Sobolev.KIND
            + " regularization of the density model, not '" + regularizers.get(i).kind() + "'");
      }
      gradientStrength += s.strength() * s.gradientWeight();
      l2Strength += s.strength() * s.l2Weight();
    }
    return new DensityProblem(model, domain.dimension(), gradientStrength, l2Strength, !regularizers.isEmpty());
  }
}
