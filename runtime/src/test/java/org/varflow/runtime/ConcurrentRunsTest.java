package org.varflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The thread-safety rule of the runtime API: one {@link Varflow} (its plugins and backends) and one {@link Spec} serve
 * several runs on several threads at once, and each run gives the numbers it gives alone, bit for bit; preparing runs
 * leaves the shared spec as it was.
 */
class ConcurrentRunsTest {
  private static final int RUNS = 4;

  @TempDir
  Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"jvm", "nd4j-cpu"})
  void runsOnSeveralThreadsGiveTheNumbersTheyGiveAlone(String backend) throws Exception {
    Varflow varflow = Varflow.load(tmp.resolve("plugins"));
    Spec shared = Spec.quickstart().with("backend", backend).with("discretization.width", 64)
        .with("solver.steps", 30).with("solver.record_every", 10);
    String before = shared.toYaml();
    List<double[]> alone = new ArrayList<>();
    for (int k = 0; k < RUNS; k++) {
      alone.add(numbers(varflow, shared, k, tmp.resolve("alone-" + k)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(RUNS);
    try {
      List<Future<double[]>> together = new ArrayList<>();
      for (int k = 0; k < RUNS; k++) {
        int seed = k;
        Callable<double[]> run = () -> numbers(varflow, shared, seed, tmp.resolve("together-" + seed));
        together.add(pool.submit(run));
      }
      for (int k = 0; k < RUNS; k++) {
        assertThat(together.get(k).get()).as("run %d on its own thread", k).containsExactly(alone.get(k));
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(shared.toYaml()).as("the shared spec after the runs").isEqualTo(before);
  }

  /** @return the final energy and risks and the parameters of the shared spec's run with seed 1 (k = 0) or 100 + k */
  private static double[] numbers(Varflow varflow, Spec shared, int seed, Path dir) throws java.io.IOException {
    Spec spec = seed == 0 ? shared : shared.with("seed", 100 + seed);
    try (Run run = varflow.prepare(spec)) {
      RunResult result = run.execute(dir, RunListener.NONE);
      List<Double> out = new ArrayList<>();
      for (String key : List.of("energy", "train_risk", "test_risk")) {
        out.add((Double) result.last().get(key));
      }
      for (double[] p : result.parameters().values()) {
        for (double x : p) {
          out.add(x);
        }
      }
      return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
  }
}
