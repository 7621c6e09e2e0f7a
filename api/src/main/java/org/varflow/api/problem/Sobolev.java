package org.varflow.api.problem;

/**
 * The weighted Sobolev regularizer (α/2) ∫_Ω (g |∇u|² + l u²) ω dθ of a density u; with g, l &gt; 0 it
 * makes J_α α·min(g, l)-convex in H¹_ω(Ω).
 *
 * @param strength α ≥ 0
 * @param gradientWeight g ≥ 0 (spec key {@code gradient}, default 1)
 * @param l2Weight l ≥ 0 (spec key {@code l2}, default 1)
 */
public record Sobolev(double strength, double gradientWeight, double l2Weight) implements Regularizer {
  /** The {@code regularizers[i].kind} of this regularizer. */
  public static final String KIND = "sobolev";

  @Override
  public String kind() {
    return KIND;
  }
}
