package org.varflow.api.flow;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.varflow.api.problem.ParameterDomain;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/**
 * The state of a density discretization read as what it approximates: a signed density u on the parameter
 * domain Ω, which can be evaluated anywhere on Ω and sampled back into a finite two-layer network.
 */
public interface ParameterDensity {

  /** @return Ω, whose coordinates {@link #values} takes */
  ParameterDomain domain();

  /**
   * @param coordinates points t_p of Ω in its coordinates, row-major (count × {@code domain().dimension()})
   * @return u(t_p), the discrete density's own interpolant or expansion, length count
   */
  double[] values(double[] coordinates);

  /**
   * Samples a width-N network f_N(x) = (1/N) Σ_j a_j σ(w_j·x + b_j) that is an unbiased Monte Carlo
   * estimate of the discrete f(x; u) with variance O(1/N).
   *
   * @param width N
   * @param seed seed of the draws
   * @return {@code a} (N) and {@code W} (N, d + 1; bias last): the layout of the particles discretization
   *     with {@code model.bias: true}
   */
  Map<String, Tensor> sample(int width, long seed);

  /**
   * The history columns of a density's norms, for {@link DiscreteFlow#diagnostics()}: {@code u_l2} = ‖u‖_{L²_ω} =
   * (∫ u² ω dθ)^{1/2} and {@code u_h1} = ‖u‖_{H¹_ω} = (∫ (|∇u|² + u²) ω dθ)^{1/2}, the Sobolev norm of the
   * regularizer with unit weights.
   *
   * @param l2Squared ∫ u² ω dθ as the discretization forms it
   * @param gradientSquared ∫ |∇u|² ω dθ as the discretization forms it
   * @return the two columns, in that order
   */
  static Map<String, Double> norms(double l2Squared, double gradientSquared) {
    Map<String, Double> norms = new LinkedHashMap<>();
    norms.put("u_l2", Math.sqrt(l2Squared));
    norms.put("u_h1", Math.sqrt(l2Squared + gradientSquared));
    return norms;
  }

  /**
   * A density known through a quadrature, f(x; u) ≈ Σ_q μ_q u_q σ(θ_q·(x, 1)), sampled by importance
   * sampling: nodes q are drawn i.i.d. with probability μ_q |u_q| / Z, Z = Σ_q μ_q |u_q| (the quadrature of
   * ∫|u|), and a_j = Z sign u_q, so that E[a_j σ(θ_{q_j}·(x, 1))] = Σ_q μ_q u_q σ(θ_q·(x, 1)).
   *
   * @param domain Ω
   * @param theta nodes θ_q in parameter space, row-major (Q × (d + 1))
   * @param weights μ_q &gt; 0, length Q
   * @param nodeValues the current u_q, length Q
   * @param values u at points of Ω in its coordinates, as {@link #values}
   * @param tensors factory of the sampled networks
   * @param precision their precision
   * @return the density
   */
  static ParameterDensity quadrature(ParameterDomain domain, double[] theta, double[] weights,
      Supplier<double[]> nodeValues, UnaryOperator<double[]> values, TensorFactory tensors, Precision precision) {
    return new ParameterDensity() {
      @Override
      public ParameterDomain domain() {
        return domain;
      }

      @Override
      public double[] values(double[] coordinates) {
        return values.apply(coordinates);
      }

      @Override
      public Map<String, Tensor> sample(int width, long seed) {
        double[] u = nodeValues.get();
        int count = weights.length;
        int k = theta.length / count;
        double[] cumulative = new double[count];
        double z = 0;
        for (int q = 0; q < count; q++) {
          z += weights[q] * Math.abs(u[q]);
          cumulative[q] = z;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] a = new double[width];
        double[] w = new double[width * k];
        for (int j = 0; j < width; j++) {
          int q = Math.min(count - 1, Math.abs(Arrays.binarySearch(cumulative, rng.nextDouble() * z) + 1));
          a[j] = z * Math.signum(u[q]);
          System.arraycopy(theta, q * k, w, j * k, k);
        }
        Map<String, Tensor> network = new LinkedHashMap<>();
        network.put("a", tensors.of(precision, a, width));
        network.put("W", tensors.of(precision, w, width, k));
        return network;
      }
    };
  }
}
