package org.varflow.discretization.flow;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.varflow.kit.DiscretizationKit;
import org.varflow.kit.Metric;
import org.varflow.model.flow.FlowModel;

/** The plugin kit on both flow discretizations and both depth schemes, in the metric I/(LM). */
class KitTest {
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"resnet, euler", "resnet, heun", "flow-random-features, euler", "flow-random-features, heun"})
  void passesTheKit(String id, String scheme) {
    int depth = 3;
    int width = 4;
    DiscretizationKit.of(Fixtures.discretization(id), Fixtures.problem(3, FlowModel.Embedding.RANDOM, true),
        Map.of("depth", depth, "width", width, "depth_scheme", scheme)).metric(Metric.scaled(1.0 / (depth * width)))
        .verify();
  }
}
