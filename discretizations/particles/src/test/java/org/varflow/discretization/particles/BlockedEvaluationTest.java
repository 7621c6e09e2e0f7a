package org.varflow.discretization.particles;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.flow.FlowContext;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Lifetime;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;

/**
 * The evaluation over blocks of particles equals the one-block evaluation to round-off — energy, parts, velocity and
 * predictions — for widths that are not a multiple of the block, with the activations kept or formed again (by the
 * backend's products through the activations, in the given blocks or, block 0, whole), on both backends and in both
 * precisions (relative 1e-12 in float64, 1e-5 in float32: only the order of f's sum changes),
 * and leaves no tensor live.
 */
class BlockedEvaluationTest {
  private static final PluginRegistry REGISTRY = PluginRegistry.load(BlockedEvaluationTest.class.getClassLoader());
  private static final VariationalProblem PROBLEM = ParticleFlowTest.problem(Activation.TANH);
  private static final int M = 203;

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String backend : List.of("jvm", "nd4j-cpu")) {
      for (Precision p : Precision.values()) {
        for (int block : new int[] {64, 7, 0}) {
          for (String activations : List.of("keep", "recompute")) {
            out.add(Arguments.of(backend, p, block, activations));
          }
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} block {2} {3}") // block 0: the default
  @MethodSource("cases")
  void blocksChangeTheNumbersByRoundOffOnly(String backend, Precision precision, int block, String activations) {
    double[] whole = numbers(backend, precision, Map.of("width", M, "block", M));
    long live = Lifetime.live();
    double[] blocked = numbers(backend, precision, block == 0 ? Map.of("width", M, "activations", activations)
        : Map.of("width", M, "block", block, "activations", activations));
    assertThat(Lifetime.live()).isEqualTo(live);
    double tolerance = precision == Precision.FLOAT64 ? 1e-12 : 1e-5;
    double scale = 0;
    for (double v : whole) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < whole.length; i++) {
      assertThat(Math.abs(blocked[i] - whole[i])).as("number %d of %d", i, whole.length).isLessThanOrEqualTo(
          tolerance * scale);
    }
  }

  /** @return energy, risk, the velocity of a and W and the test predictions, from seed 3 */
  private static double[] numbers(String backend, Precision precision, Map<String, ?> options) {
    ParticleDiscretization particles = new ParticleDiscretization();
    List<Double> out = new ArrayList<>();
    try (DiscreteFlow flow = particles.discretize(PROBLEM, particles.options().node("discretization", options),
        new FlowContext(REGISTRY.backend(backend), precision, 3))) {
      Evaluation e = flow.evaluate(true);
      out.add(e.energy());
      out.add(e.risk());
      for (Tensor v : e.velocity().values()) {
        for (double x : v.toDoubleArray()) {
          out.add(x);
        }
        v.release();
      }
      for (double f : flow.predict(PROBLEM.testData().orElse(PROBLEM.train()))) {
        out.add(f);
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
