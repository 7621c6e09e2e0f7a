package org.varflow.kit;

import java.util.LinkedHashMap;
import java.util.Map;
import org.varflow.api.flow.DiscreteFlow;

/**
 * The metric G of a discrete flow dθ/dt = −G⁻¹∇E, as the kit needs it: the product G·v for a velocity v.
 * Particles of a mean-field model have G = I/m (their velocity is −m∇E), L²-orthonormal coordinates have
 * G = I, representer coordinates of a kernel have G = K.
 */
@FunctionalInterface
public interface Metric {
  /** G = I: the velocity is −∇E. */
  Metric IDENTITY = (flow, velocity) -> velocity;

  /**
   * @param flow the flow at the state where the velocity was evaluated
   * @param velocity v by state tensor name, elements in row-major order
   * @return G·v by the same names
   */
  Map<String, double[]> times(DiscreteFlow flow, Map<String, double[]> velocity);

  /** @return G = s·I, e.g. s = 1/m for m particles */
  static Metric scaled(double s) {
    return (flow, velocity) -> {
      Map<String, double[]> out = new LinkedHashMap<>();
      velocity.forEach((name, v) -> {
        double[] g = v.clone();
        for (int i = 0; i < g.length; i++) {
          g[i] *= s;
        }
        out.put(name, g);
      });
      return out;
    };
  }
}
