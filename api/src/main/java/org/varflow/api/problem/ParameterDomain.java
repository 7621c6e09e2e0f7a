package org.varflow.api.problem;

import java.util.Arrays;

/**
 * A box Ω = Π_i [lower_i, upper_i] in parameter space R^k.
 *
 * @param lower lower corner, length k
 * @param upper upper corner, length k, componentwise greater than {@code lower}
 */
public record ParameterDomain(double[] lower, double[] upper) {

  /** Checks and copies the corners. */
  public ParameterDomain {
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
    lower = lower.clone();
    upper = upper.clone();
  }

  /** @return k, the dimension of the parameter space */
  public int dimension() {
    return lower.length;
  }

  @Override
  public double[] lower() {
    return lower.clone();
  }

  @Override
  public double[] upper() {
    return upper.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParameterDomain p && Arrays.equals(lower, p.lower) && Arrays.equals(upper, p.upper);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(lower) + Arrays.hashCode(upper);
  }

  @Override
  public String toString() {
    return "box " + Arrays.toString(lower) + " – " + Arrays.toString(upper);
  }
}
