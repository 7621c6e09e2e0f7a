package org.varflow.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.varflow.api.OptionSchema;
import org.varflow.api.plugin.Plugin;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.api.solve.SolveContext;
import org.varflow.api.solve.SolveResult;
import org.varflow.api.solve.Solver;
import org.varflow.app.plugins.Plugins;

/**
 * What {@code varflow bench} reports without depending on how long anything takes: the median after the warm-up
 * repetitions, and the random feature ridge row (here at a small size: the bench's n = 20000, m = 2000 takes
 * seconds a solve) with its solve count, its flop count n·m² + m³/3 and its line.
 */
public class BenchTimingTest {

  /** The warm-up entries are left out however slow they were; an even count gives the mean of the middle two. */
  @Test
  void theMedianLeavesOutTheWarmUp() {
    assertThat(BenchCommand.median(new double[] {9, 8, 3, 1, 2}, 2)).isEqualTo(2);
    assertThat(BenchCommand.median(new double[] {0.5, 100, 3, 1, 2}, 1)).isEqualTo(2.5);
    assertThat(BenchCommand.median(new double[] {5, 1, 4, 2}, 0)).isEqualTo(3);
    assertThat(BenchCommand.median(new double[] {1e-9, 7}, 1)).isEqualTo(7);
  }

  /**
   * The ridge case solves warm-up + min(repeats, 3) times, each a Cholesky solve of the random features of its width in
   * float64, and its row holds the median seconds and GFLOP/s = (n·m² + m³/3) / seconds / 1e9 (to 1e-12 relative: the
   * same double arithmetic), printed as the README's ridge lines are.
   */
  @ParameterizedTest
  @CsvSource({"2, 5, 5", "0, 1, 1", "1, 2, 3", "3, 3, 6"})
  void theRidgeRowSolvesWarmupPlusAtMostThreeTimes(int warmup, int repeats, int solves) {
    List<SolveContext> calls = new ArrayList<>();
    PluginRegistry registry = withRecordedSolver("stationary", calls);
    BenchCommand bench = new BenchCommand(Plugins.of(registry));
    bench.warmup = warmup;
    bench.repeats = repeats;
    StringWriter text = new StringWriter();
    BenchCommand.Ridge ridge = new BenchCommand.Ridge(300, 40, 3);
    Map<String, Object> r = bench.ridgeCase(registry, registry.backend("jvm"), ridge, new PrintWriter(text, true));

    assertThat(calls).hasSize(solves);
    assertThat(calls).allSatisfy(c -> {
      assertThat(c.options().getString("method")).isEqualTo("cholesky");
      assertThat(c.flow().state().get("a").size()).isEqualTo(40);
      assertThat(c.flow().state().get("a").precision().id()).isEqualTo("float64");
    });
    assertThat(r).containsEntry("backend", "jvm").containsEntry("precision", "float64").containsEntry("size", "RF")
        .containsEntry("n", 300).containsEntry("m", 40).containsEntry("d", 3).doesNotContainKey("error");
    double seconds = (Double) r.get("seconds");
    assertThat(seconds).isPositive();
    double flops = 300.0 * 40 * 40 + 40.0 * 40 * 40 / 3;
    assertThat(ridge.flops()).isCloseTo(flops, within(1e-12 * flops));
    assertThat((Double) r.get("gflops")).isCloseTo(flops / seconds / 1e9, within(1e-12 * flops / seconds / 1e9));
    assertThat(text.toString()).matches("jvm +float64 +RF +300 +40 +3 +" + Pattern.quote(String.format(Locale.ROOT,
        "%.4g", seconds)) + " +" + Pattern.quote(String.format(Locale.ROOT, "%.1f", (Double) r.get("gflops")))
        + "  \\(random-features ridge: features \\+ stationary solve\\)\\n");
  }

  /** The bench's ridge is the README's: n = 20000, m = 2000, d = 32, 8.27e10 flops counted. */
  @Test
  void theBenchRidgeIsTheDocumentedOne() {
    assertThat(BenchCommand.Ridge.L).isEqualTo(new BenchCommand.Ridge(20000, 2000, 32));
    assertThat(BenchCommand.Ridge.L.flops()).isCloseTo(20000.0 * 2000 * 2000 + 2000.0 * 2000 * 2000 / 3,
        within(1.0));
  }

  /** A ridge solve that fails gives the row an error entry and a line saying so, and no seconds. */
  @Test
  void aFailingRidgeSolveIsReportedInItsRow() {
    PluginRegistry registry = withSolver(new Recorded(new Plugins().registry().solver("stationary"), context -> {
      throw new ArithmeticException("injected");
    }));
    BenchCommand bench = new BenchCommand(Plugins.of(registry));
    StringWriter text = new StringWriter();
    Map<String, Object> r = bench.ridgeCase(registry, registry.backend("jvm"), new BenchCommand.Ridge(50, 10, 2),
        new PrintWriter(text, true));
    assertThat(r).containsEntry("error", "ArithmeticException: injected").doesNotContainKey("seconds");
    assertThat(text.toString()).matches("jvm +float64 +RF +50 +10 +2 +failed: ArithmeticException: injected\\n");
  }

  /**
   * @return the plugins found on the module path, with the solver {@code id} replaced by one that records the context
   *     of each solve in {@code calls} and then solves
   */
  public static PluginRegistry withRecordedSolver(String id, List<SolveContext> calls) {
    Solver real = new Plugins().registry().solver(id);
    return withSolver(new Recorded(real, context -> {
      calls.add(context);
      return real.solve(context);
    }));
  }

  private static PluginRegistry withSolver(Solver solver) {
    List<Plugin> plugins = new ArrayList<>(List.of(solver));
    new Plugins().registry().byKind().values().forEach(kind -> kind.stream()
        .filter(p -> !(p instanceof Solver s && s.id().equals(solver.id()))).forEach(plugins::add));
    return PluginRegistry.of(plugins);
  }

  /** A solver that is {@code real} except that {@code solve} does what {@code solve} says. */
  private record Recorded(Solver real, java.util.function.Function<SolveContext, SolveResult> solve)
      implements Solver {
    @Override
    public String id() {
      return real.id();
    }

    @Override
    public String description() {
      return real.description();
    }

    @Override
    public OptionSchema options() {
      return real.options();
    }

    @Override
    public SolveResult solve(SolveContext context) {
      return solve.apply(context);
    }
  }
}
