package org.varflow.dynamics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.flow.MiniBatches;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.problem.WeightDecay;
import org.varflow.api.tensor.Tensor;

/**
 * SGD with one batch of all n samples is explicit Euler bit for bit; without replacement every epoch visits each
 * sample once; and the velocities of the batches of an epoch average, weighted by |B|/n, to the full velocity.
 */
class StochasticGradientTest {
  private static final VariationalProblem PROBLEM = Flows.problem(40, new WeightDecay(0.01));

  @ParameterizedTest
  @FieldSource("org.varflow.dynamics.Flows#BACKENDS")
  void oneBatchOfEverySampleIsExplicitEuler(String backend) {
    Map<String, ?> options = Map.of("step", 0.3, "steps", 50L, "record_every", 5L);
    Flows.Recorder sgd = new Flows.Recorder();
    Flows.Recorder euler = new Flows.Recorder();
    Map<String, double[]> sgdState;
    try (DiscreteFlow flow = Flows.particles(backend, PROBLEM, 8, 5)) {
      Flows.solve(new StochasticGradient(), flow, PROBLEM, with(options, "batch", 40L), sgd);
      sgdState = Flows.state(flow);
    }
    try (DiscreteFlow flow = Flows.particles(backend, PROBLEM, 8, 5)) {
      Flows.solve(Flows.REGISTRY.solver("explicit-euler"), flow, PROBLEM, options, euler);
      Flows.state(flow).forEach((name, theta) -> assertThat(sgdState.get(name)).as(name).containsExactly(theta));
    }
    assertThat(sgd.records.stream().map(r -> r.evaluation().energy()).toList())
        .isEqualTo(euler.records.stream().map(r -> r.evaluation().energy()).toList());
  }

  /** Batches of 7 of n = 40 (the last has 5): each epoch's six batches cover every sample exactly once. */
  @ParameterizedTest
  @FieldSource("org.varflow.dynamics.Flows#BACKENDS")
  void eachEpochVisitsEverySampleOnce(String backend) {
    try (RowRecorder flow = new RowRecorder(Flows.particles(backend, PROBLEM, 8, 5))) {
      Flows.solve(new StochasticGradient(), flow, PROBLEM, Map.of("step", 0.1, "epochs", 3L, "batch", 7L), new Flows.Recorder());
      assertThat(flow.batches).hasSize(18);
      for (int epoch = 0; epoch < 3; epoch++) {
        int[] visited = flow.batches.subList(6 * epoch, 6 * epoch + 6).stream().flatMapToInt(Arrays::stream).sorted()
            .toArray();
        assertThat(visited).as("epoch %d", epoch).containsExactly(java.util.stream.IntStream.range(0, 40).toArray());
      }
      assertThat(flow.batches.get(0)).as("epochs draw different permutations").isNotEqualTo(flow.batches.get(6));
    }
  }

  @ParameterizedTest
  @FieldSource("org.varflow.dynamics.Flows#BACKENDS")
  void theBatchVelocitiesOfAnEpochAverageToTheFullVelocity(String backend) {
    try (DiscreteFlow flow = Flows.particles(backend, PROBLEM, 8, 5)) {
      int[] permutation = StochasticGradient.permutation(40, new java.util.SplittableRandom(2));
      Map<String, double[]> average = new java.util.LinkedHashMap<>();
      for (int from = 0; from < 40; from += 7) {
        int[] rows = Arrays.copyOfRange(permutation, from, Math.min(40, from + 7));
        Evaluation e = flow.batches().orElseThrow().evaluate(rows, true);
        e.velocity().forEach((name, v) -> {
          double[] sum = average.computeIfAbsent(name, k -> new double[(int) v.size()]);
          double[] values = v.toDoubleArray();
          for (int i = 0; i < sum.length; i++) {
            sum[i] += values[i] * rows.length / 40.0; // weight |B|/n
          }
          v.release();
        });
      }
      Evaluation full = flow.evaluate(true);
      full.velocity().forEach((name, v) -> {
        double[] expected = v.toDoubleArray();
        double scale = Arrays.stream(expected).map(Math::abs).max().orElse(1);
        for (int i = 0; i < expected.length; i++) {
          assertThat(Math.abs(average.get(name)[i] - expected[i])).as("%s[%d]", name, i).isLessThan(1e-12 * scale);
        }
        v.release();
      });
    }
  }

  private static Map<String, Object> with(Map<String, ?> options, String key, Object value) {
    Map<String, Object> out = new java.util.LinkedHashMap<>(options);
    out.put(key, value);
    return out;
  }

  /** A particle flow that records the rows of every batch it evaluates. */
  private static final class RowRecorder implements DiscreteFlow {
    private final DiscreteFlow flow;
    final List<int[]> batches = new ArrayList<>();

    RowRecorder(DiscreteFlow flow) {
      this.flow = flow;
    }

    @Override
    public Map<String, Tensor> state() {
      return flow.state();
    }

    @Override
    public Evaluation evaluate(boolean withVelocity) {
      return flow.evaluate(withVelocity);
    }

    @Override
    public Tensor predictions(Dataset data) {
      return flow.predictions(data);
    }

    @Override
    public Optional<MiniBatches> batches() {
      MiniBatches inner = flow.batches().orElseThrow();
      return Optional.of(new MiniBatches() {
        @Override
        public int samples() {
          return inner.samples();
        }

        @Override
        public Evaluation evaluate(int[] rows, boolean withVelocity) {
          batches.add(rows.clone());
          return inner.evaluate(rows, withVelocity);
        }
      });
    }

    @Override
    public void close() {
      flow.close();
    }
  }
}
