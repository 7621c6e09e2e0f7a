package org.varflow.runtime.plot;

/**
 * A width-N two-layer network f(x) = (1/N) Σ_j a_j σ(w_j·x + b_j) to draw over u*: particle j is drawn at
 * the domain coordinates of θ_j = (w_j, b_j).
 *
 * @param a a_j, length N
 * @param weights θ_j row-major (N × (d + 1)), bias last: the layout of the particles' {@code W.npy}
 * @param origin how the network was obtained, for the subtitle, e.g. {@code sampled from u*}
 */
public record Network(double[] a, double[] weights, String origin) {

  /** @return N */
  public int width() {
    return a.length;
  }
}
