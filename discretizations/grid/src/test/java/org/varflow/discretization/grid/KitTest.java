package org.varflow.discretization.grid;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.varflow.api.problem.Sobolev;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Activation;
import org.varflow.kit.DiscretizationKit;

/** The plugin kit on the grid discretization: L²-orthonormal coordinates, so the velocity is −∇E (metric I). */
class KitTest {
  @Test
  void gridPassesTheKit() {
    VariationalProblem problem = Fixtures.problem(Fixtures.data(20, 1, 3), Activation.TANH, Fixtures.UNIFORM,
        new Sobolev(0.1, 1, 1));
    DiscretizationKit.of(new GridDiscretization(), problem,
        Map.of("points", 5, "init", Map.of("kind", "gaussian"))).verify();
  }
}
