package org.varflow.api.problem;

import java.util.Arrays;

/**
 * The parameter domain Ω of a density model, described by coordinates t in a box Π_i [lower_i, upper_i]:
 *
 * <ul>
 *   <li>{@link #box box}: Ω is the box itself, θ = t ∈ R^k;
 *   <li>{@link #circle circle} (inputs in R², k = 3): w on the circle of radius r, Ω = S¹_r × [b₀, b₁] with
 *       coordinates t = (ϕ, b), ϕ ∈ [0, 2π) periodic, and θ(t) = (r cos ϕ, r sin ϕ, b).
 * </ul>
 *
 * <p>Integrals over Ω use the surface measure dθ = Π_i s_i dt_i and gradients the tangential one,
 * |∇u|² = Σ_i (∂_{t_i} u / s_i)², with the {@link #scale(int) length scale} s_0 = r on the angle axis of a
 * circle and s_i = 1 otherwise.
 */
public final class ParameterDomain {
  private final boolean circle;
  private final double radius;
  private final double[] lower;
  private final double[] upper;

  private ParameterDomain(boolean circle, double radius, double[] lower, double[] upper) {
    if (lower.length == 0 || lower.length != upper.length) {
      throw new IllegalArgumentException("lower and upper need the same, positive length, got "
          + lower.length + " and " + upper.length);
    }
    for (int i = 0; i < lower.length; i++) {
      if (!(lower[i] < upper[i]) || !Double.isFinite(lower[i]) || !Double.isFinite(upper[i])) {
        throw new IllegalArgumentException("need finite lower[" + i + "] < upper[" + i + "], got "
            + lower[i] + " and " + upper[i]);
      }
    }
    this.circle = circle;
    this.radius = radius;
    this.lower = lower.clone();
    this.upper = upper.clone();
  }

  /**
   * @param lower lower corner, length k
   * @param upper upper corner, length k, componentwise greater than {@code lower}
   * @return the box Π_i [lower_i, upper_i] ⊂ R^k
   */
  public static ParameterDomain box(double[] lower, double[] upper) {
    return new ParameterDomain(false, 1, lower, upper);
  }

  /**
   * @param radius r &gt; 0, the norm of every w
   * @param biasLower b₀
   * @param biasUpper b₁ &gt; b₀
   * @return S¹_r × [b₀, b₁], coordinates (ϕ, b) ∈ [0, 2π) × [b₀, b₁]
   */
  public static ParameterDomain circle(double radius, double biasLower, double biasUpper) {
    if (!(radius > 0) || Double.isInfinite(radius)) {
      throw new IllegalArgumentException("radius must be a positive finite number, got " + radius);
    }
    if (!(biasLower < biasUpper) || !Double.isFinite(biasLower) || !Double.isFinite(biasUpper)) {
      throw new IllegalArgumentException("need a finite range of b, lower < upper, got " + biasLower + " and " + biasUpper);
    }
    return new ParameterDomain(true, radius, new double[] {0, biasLower}, new double[] {2 * Math.PI, biasUpper});
  }

  /** @return whether this is S¹_r × [b₀, b₁] (else a box) */
  public boolean isCircle() {
    return circle;
  }

  /** @return r for a circle, 1 for a box */
  public double radius() {
    return radius;
  }

  /** @return the number of coordinates t: k for a box, 2 for a circle */
  public int dimension() {
    return lower.length;
  }

  /** @return the number of components of θ: k for a box, 3 for a circle */
  public int parameterDimension() {
    return circle ? 3 : lower.length;
  }

  /** @return lower corner of the coordinate box */
  public double[] lower() {
    return lower.clone();
  }

  /** @return upper corner of the coordinate box */
  public double[] upper() {
    return upper.clone();
  }

  /** @return whether coordinate {@code axis} is periodic (the angle of a circle) */
  public boolean periodic(int axis) {
    return circle && axis == 0;
  }

  /** @return s_axis, the length of Ω per unit of coordinate {@code axis}: r for the angle, else 1 */
  public double scale(int axis) {
    return periodic(axis) ? radius : 1;
  }

  /** @return θ(t), of length {@link #parameterDimension()} */
  public double[] parameters(double[] t) {
    return circle ? new double[] {radius * Math.cos(t[0]), radius * Math.sin(t[0]), t[1]} : t.clone();
  }

  /**
   * @return the coordinates of the point of Ω nearest in direction to θ: θ itself for a box;
   *     (atan2(w₂, w₁) mod 2π, b) for a circle
   */
  public double[] coordinates(double[] theta) {
    if (!circle) {
      return theta.clone();
    }
    double phi = Math.atan2(theta[1], theta[0]);
    return new double[] {phi < 0 ? phi + 2 * Math.PI : phi, theta[2]};
  }

  /**
   * @return the point of the axis embedded in θ-space with the other coordinates at zero: t e_axis for a
   *     box; (r cos ϕ, r sin ϕ, 0) for the angle and (0, 0, b) for the bias of a circle. A separable weight
   *     with ω(0) = 1 (uniform, Gaussian) is the product of its values at these points.
   */
  public double[] axisPoint(int axis, double t) {
    double[] theta = new double[parameterDimension()];
    if (!circle) {
      theta[axis] = t;
    } else if (axis == 0) {
      theta[0] = radius * Math.cos(t);
      theta[1] = radius * Math.sin(t);
    } else {
      theta[2] = t;
    }
    return theta;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParameterDomain p && circle == p.circle && radius == p.radius
        && Arrays.equals(lower, p.lower) && Arrays.equals(upper, p.upper);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Boolean.hashCode(circle) + Double.hashCode(radius)) + 31 * Arrays.hashCode(lower)
        + Arrays.hashCode(upper);
  }

  @Override
  public String toString() {
    return circle
        ? "circle S¹(r = " + radius + ") × [" + lower[1] + ", " + upper[1] + "]"
        : "box " + Arrays.toString(lower) + " – " + Arrays.toString(upper);
  }
}
