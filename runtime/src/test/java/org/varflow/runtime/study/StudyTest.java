package org.varflow.runtime.study;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varflow.runtime.Run;
import org.varflow.runtime.RunListener;
import org.varflow.runtime.RunResult;
import org.varflow.runtime.Spec;
import org.varflow.runtime.Varflow;

/**
 * A two-key × two-seed study on two jobs writes the documented files (a plot of each rate with its runs, seed means
 * and fitted line among them) with the numbers of the same runs made one by one;
 * started again it runs nothing and gives the same files; a point whose spec is bad is listed with its error while the
 * others complete.
 */
class StudyTest {
  @TempDir
  Path tmp;

  private final Varflow varflow = Varflow.load(Path.of("no-plugins"));

  private static Spec base() {
    return Spec.quickstart().with("backend", "jvm").with("solver.steps", 20).with("solver.record_every", 10);
  }

  @Test
  void aGridOfTwoKeysAndTwoSeedsGivesTheNumbersOfItsRunsOneByOne() throws Exception {
    Study study = Study.of(base(), List.of(new Study.Axis("discretization.width", List.of(32, 128)),
        new Study.Axis("solver.step", List.of(0.25, 0.5))), 2);
    assertThat(study.points()).hasSize(8);
    Path dir = tmp.resolve("study");
    Study.Result result = study.run(varflow, dir, 2, "test_risk", Study.Listener.NONE);

    List<String> csv = Files.readAllLines(dir.resolve("study.csv"));
    assertThat(csv.get(0)).isEqualTo("discretization.width,solver.step,seed,status,step,time,energy,train_risk,"
        + "test_risk,weight-decay,generalization_gap,velocity_norm,path_norm,a_l2,wall_s,error");
    assertThat(csv).hasSize(9);
    for (int k = 0; k < 8; k++) {
      Study.Outcome o = result.outcomes().get(k);
      assertThat(o.status()).isEqualTo("completed");
      assertThat(Files.exists(o.point().directory(dir).resolve("summary.json"))).isTrue();
      try (Run alone = varflow.prepare(study.spec(o.point()))) {
        RunResult r = alone.execute(null, RunListener.NONE);
        assertThat(o.last().get("test_risk")).as("point %d", k).isEqualTo(r.last().get("test_risk"));
        assertThat(o.last().get("energy")).as("point %d", k).isEqualTo(r.last().get("energy"));
      }
      String[] row = csv.get(k + 1).split(",");
      assertThat(Double.parseDouble(row[8])).isEqualTo((Double) o.last().get("test_risk"));
    }
    JsonNode rates = new ObjectMapper().readTree(dir.resolve("rates.json").toFile());
    assertThat(rates.path("metric").asText()).isEqualTo("test_risk");
    assertThat(rates.path("rates")).hasSize(4); // width at each step, step at each width
    JsonNode first = rates.path("rates").get(0);
    assertThat(first.path("key").asText()).isEqualTo("discretization.width");
    assertThat(first.path("fixed").path("solver.step").asDouble()).isEqualTo(0.25);
    double mean32 = (((Double) result.outcomes().get(0).last().get("test_risk"))
        + ((Double) result.outcomes().get(1).last().get("test_risk"))) / 2;
    assertThat(first.path("mean").get(0).asDouble()).isEqualTo(mean32);
    assertThat(first.path("slope").asDouble()).isEqualTo(result.rates().get(0).fit().slope());

    Path plot = dir.resolve("plots/test_risk-vs-discretization.width,solver.step=0.25.png");
    assertThat(javax.imageio.ImageIO.read(plot.toFile()).getWidth()).isEqualTo(org.varflow.runtime.plot.Charts.WIDTH);
    var data = (org.jfree.data.xy.XYSeriesCollection) StudyPlots.chart(result.rates().get(0), "test_risk",
        "solver.step=0.25", RateFit.Scale.LOG_LOG).getXYPlot().getDataset();
    assertThat(data.getSeries(0).getItemCount()).as("runs: two widths × two seeds").isEqualTo(4);
    assertThat(data.getSeries(1).getY(0).doubleValue()).isEqualTo(mean32);
    assertThat((String) data.getSeries(2).getKey()).startsWith(String.format(java.util.Locale.ROOT,
        "fit: slope %.3f", result.rates().get(0).fit().slope()));

    List<FileTime> written = new ArrayList<>();
    for (Study.Point p : study.points()) {
      written.add(Files.getLastModifiedTime(p.directory(dir).resolve("summary.json")));
    }
    Study.Result again = study.run(varflow, dir, 2, "test_risk", Study.Listener.NONE);
    for (int k = 0; k < 8; k++) {
      assertThat(Files.getLastModifiedTime(study.points().get(k).directory(dir).resolve("summary.json")))
          .as("point %d run again", k).isEqualTo(written.get(k));
      assertThat(again.outcomes().get(k).last().get("test_risk")).isEqualTo(result.outcomes().get(k).last()
          .get("test_risk"));
    }
    assertThat(Files.readAllLines(dir.resolve("study.csv"))).isEqualTo(csv);
  }

  @Test
  void aFailedPointIsListedWithItsErrorAndTheOthersComplete() throws Exception {
    Study study = Study.of(base(), List.of(new Study.Axis("solver.step", List.of(0.5, -1.0))), 1);
    Path dir = tmp.resolve("failing");
    Study.Result result = study.run(varflow, dir, 1, "test_risk", Study.Listener.NONE);
    assertThat(result.outcomes().get(0).status()).isEqualTo("completed");
    assertThat(result.outcomes().get(1).status()).isEqualTo("failed");
    assertThat(result.outcomes().get(1).error()).contains("solver.step");
    assertThat(Files.readAllLines(dir.resolve("study.csv")).get(2)).startsWith("-1.0,1,failed,").contains("solver.step");
  }
}
