package org.example.orthogonal.features;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.FeatureDistribution;
import org.varflow.api.problem.Loss;
import org.varflow.api.problem.RandomFeatureModel;
import org.varflow.api.problem.Tikhonov;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Activation;
import org.varflow.kit.DiscretizationKit;
import org.varflow.kit.Metric;

/** The varflow plugin kit on orthogonal features: gradients in the metric I/m, linear structure, ownership, backends. */
class OrthogonalFeaturesTest {
  @Test
  void passesTheKit() {
    Dataset data = new Dataset("kit", 3, 2, new double[] {0.1, -0.4, 1.2, 0.3, -0.7, 0.9}, new double[] {0.5, -0.2, 0.8});
    VariationalProblem problem = new VariationalProblem(data, null, new RandomFeatureModel(Activation.TANH, true,
        new FeatureDistribution("gaussian", 1.0)), Loss.SQUARED, List.of(new Tikhonov(0.05)));
    DiscretizationKit.of(new OrthogonalFeatures(), problem, Map.of("width", 7, "init", Map.of("kind", "gaussian")))
        .metric(Metric.scaled(1.0 / 7)).verify();
  }
}
