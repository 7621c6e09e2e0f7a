package org.varflow.api.problem;

/**
 * What is known about the convexity of a quadratic energy, for the well-posedness report: the norm in which
 * E is λ-convex, λ, the modulus of its discrete L² gradient flow, and the data-stability bound
 * ‖u*(y) − u*(y')‖ ≤ C ‖y − y'‖_rms / √λ.
 *
 * @param geometry the space and norm in which the energy is λ-convex
 * @param lambda λ in that norm (0: convex, no uniqueness guarantee)
 * @param decay μ, the modulus of the discrete L² flow: its energy gap decays like e^{−2μt}
 * @param norm the name of the norm in the stability bound, e.g. {@code {L²(π)}}
 * @param stability C in the stability bound
 */
public record Convexity(String geometry, double lambda, double decay, String norm, double stability) {}
