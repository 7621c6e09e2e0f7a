package org.varflow.runtime.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varflow.api.SpecException;
import org.varflow.runtime.Spec;
import org.varflow.runtime.Varflow;
import org.varflow.runtime.study.RateFit.Scale;

/**
 * The gallery and the study block: every bundled example loads and prepares (a study's first point and its reference
 * too); an unknown name lists the names; a rate against a reference recovers the slope of a synthetic law exactly; a
 * tiny λ-convex study against its stationary reference decays at a fitted rate of at least 2λ.
 */
class GalleryTest {
  @TempDir
  Path tmp;

  private final Varflow varflow = Varflow.load(Path.of("no-plugins"));

  @Test
  void everyExampleLoadsAndPrepares() {
    List<Spec.Example> examples = Spec.examples();
    assertThat(examples).extracting(Spec.Example::name).containsExactly("convex-decay", "density-grid",
        "density-spectral", "early-stopping", "generalization-gap", "mean-field-vs-kernel", "sampled-networks",
        "width-law");
    for (Spec.Example e : examples) {
      assertThat(e.description()).as(e.name()).isNotBlank();
      Spec spec = Spec.example(e.name()).with("backend", "jvm");
      assertThat(spec.name()).isEqualTo(e.name());
      assertThat(e.study()).as(e.name()).isTrue(); // the gallery's entries are studies
      varflow.prepare(spec).close(); // varflow run ignores the study block
      Study.Defaults defaults = Study.defaults(spec);
      assertThat(defaults.vary()).as(e.name()).isNotEmpty();
      Study study = Study.of(spec, defaults.vary(), defaults.seeds());
      Study.Point first = study.points().get(0);
      assertThat(study.spec(first).root().has("study")).as("a point does not carry the block").isFalse();
      varflow.prepare(study.spec(first)).close();
      if (study.reference().isPresent()) {
        varflow.prepare(study.referenceSpec(first.seed())).close();
      }
    }
  }

  @Test
  void anUnknownExampleNamesTheExamples() {
    assertThatThrownBy(() -> Spec.example("no-such-example")).isInstanceOf(SpecException.class)
        .hasMessageContaining("--example").hasMessageContaining("no-such-example")
        .hasMessageContaining("the examples are convex-decay, density-grid, ").hasMessageContaining("width-law");
  }

  @Test
  void aBadStudyBlockNamesItsKey() {
    Spec spec = Spec.example("width-law");
    assertThatThrownBy(() -> Study.of(spec.with("study.fit", "cubic"), List.of(), 1)).isInstanceOf(SpecException.class)
        .hasMessageContaining("study.fit");
    assertThatThrownBy(() -> Study.defaults(spec.with("study.vary", Map.of("discretization.width", List.of()))))
        .isInstanceOf(SpecException.class).hasMessageContaining("study.vary.discretization.width");
    assertThatThrownBy(() -> varflow.prepare(spec.with("study.seed", 3))).isInstanceOf(SpecException.class)
        .hasMessageContaining("study.seed");
  }

  /**
   * metric = r_s + 2/x · (1 + (s − 2)/10) for seeds s = 1, 2, 3 with references r_s = 0.5, 0.7, 0.1: the seed mean of
   * metric − reference is 2/x, so the rate is slope −1 exactly; the runs are each |metric − reference|.
   */
  @Test
  void aRateAgainstAReferenceRecoversAKnownSlope() {
    Study.Axis axis = new Study.Axis("w", List.of(10, 20, 40, 80));
    Map<Long, Double> references = Map.of(1L, 0.5, 2L, 0.7, 3L, 0.1);
    List<Study.Outcome> outcomes = new ArrayList<>();
    for (Object w : axis.values()) {
      for (long s = 1; s <= 3; s++) {
        double x = ((Integer) w).doubleValue();
        Map<String, Object> last = new LinkedHashMap<>();
        last.put("test_risk", references.get(s) + 2 / x * (1 + (s - 2) / 10.0));
        outcomes.add(new Study.Outcome(new Study.Point(Map.of("w", w), s), "completed", last, 1, ""));
      }
    }
    Study.Rate rate = StudyFiles.rates(List.of(axis), outcomes, "test_risk", Scale.LOG_LOG, references).get(0);
    assertThat(rate.fit().slope()).isCloseTo(-1, within(1e-12));
    assertThat(rate.mean()[1]).isCloseTo(0.1, within(1e-15));
    assertThat(rate.runs().length).isEqualTo(12);
    assertThat(rate.runs()[0][1]).isCloseTo(0.2 * 0.9, within(1e-15));
    Study.Rate plain = StudyFiles.rates(List.of(axis), outcomes, "test_risk", Scale.LOG_LOG, null).get(0);
    assertThat(plain.mean()[0]).isCloseTo((0.5 + 0.7 + 0.1) / 3 + 0.2, within(1e-15));
  }

  /**
   * The random feature model with Tikhonov α = 0.05 is α-convex: explicit Euler to t = 5, 10, 15 against the stationary
   * minimizer (the reference, in runs/reference/seed-S) decays at a fitted rate −slope ≥ 2α on semi-log axes.
   */
  @Test
  void aConvexFlowAgainstItsMinimizerDecaysAtTwiceLambda() throws Exception {
    Spec spec = Spec.example("convex-decay").with("backend", "jvm").with("discretization.width", 100)
        .with("data.train.n", 50).with("data.test.n", 50);
    Study.Defaults defaults = Study.defaults(spec);
    assertThat(defaults.metric()).isEqualTo("energy");
    Study study = Study.of(spec, List.of(new Study.Axis("solver.time", List.of(5, 10, 15))), 1);
    assertThat(study.scale()).isEqualTo(Scale.SEMI_LOG);
    Path dir = tmp.resolve("decay");
    Study.Result result = study.run(varflow, dir, 1, defaults.metric(), Study.Listener.NONE);
    assertThat(result.references()).hasSize(1);
    assertThat(result.references().get(0).status()).isEqualTo("completed");
    assertThat(Files.exists(dir.resolve("runs/reference/seed-2/summary.json"))).isTrue();
    RateFit fit = result.rates().get(0).fit();
    assertThat(-fit.slope()).isGreaterThanOrEqualTo(2 * 0.05);
    assertThat(fit.r2()).isGreaterThan(0.99);
    JsonNode rates = new ObjectMapper().readTree(dir.resolve("rates.json").toFile());
    assertThat(rates.path("fit").asText()).isEqualTo("semilog");
    assertThat(rates.path("quantity").asText()).isEqualTo("|energy - reference|");
    assertThat(rates.path("reference").path("values").path("2").asDouble())
        .isEqualTo((Double) result.references().get(0).last().get("energy"));
    assertThat(dir.resolve("plots/energy-vs-solver.time.png")).exists();
  }
}
