package org.varflow.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varflow.api.io.Npy;
import org.varflow.runtime.RunListener;
import org.varflow.runtime.Spec;
import org.varflow.runtime.Varflow;
import org.varflow.runtime.study.Study;
import org.varflow.runtime.study.StudyEngine;

/**
 * A study on Spark ({@code local[2]}) gives the files and numbers of the local engine: the same study.csv but for the
 * wall times, the same rates.json, the same parameters of every run, bit for bit (jvm backend); a point that fails is
 * a row with its error and the others complete; a task whose executor dies is redone once and its run counted once;
 * the local engine goes on with a study made on Spark.
 */
class SparkEngineTest {
  @TempDir
  Path tmp;

  private final Varflow varflow = Varflow.load(null);
  private final Spec spec = Spec.quickstart().with("backend", "jvm").with("data.train.n", 200)
      .with("data.test.n", 200).with("solver.steps", 40).with("solver.record_every", 20);

  private Study.Result spark(Study study, Path dir, String master) throws Exception {
    return study.run(StudyEngine.of("spark"), new StudyEngine.Setting(varflow, Optional.empty(), 1,
        Map.of("master", master), Study.Listener.NONE, t -> RunListener.NONE), dir, "test_risk");
  }

  @Test
  void aStudyOnSparkHasTheFilesAndNumbersOfTheLocalEngine() throws Exception {
    Study study = Study.of(spec, List.of(new Study.Axis("discretization.width", List.of(8, 32)),
        new Study.Axis("solver.step", List.of(0.25, 0.5))), 2);
    Path local = tmp.resolve("local");
    Path onSpark = tmp.resolve("spark");
    study.run(varflow, local, 2, "test_risk", Study.Listener.NONE);
    Study.Result result = spark(study, onSpark, "local[2]");

    assertThat(result.outcomes()).hasSize(8).allMatch(o -> o.status().equals("completed"));
    assertThat(withoutWallTimes(onSpark)).isEqualTo(withoutWallTimes(local));
    assertThat(Files.readString(onSpark.resolve("rates.json"))).isEqualTo(Files.readString(local.resolve("rates.json")));
    for (Study.Point point : study.points()) {
      assertThat(Npy.read(point.directory(onSpark).resolve("params/W.npy")).data())
          .containsExactly(Npy.read(point.directory(local).resolve("params/W.npy")).data());
    }
    try (Stream<Path> plots = Files.list(onSpark.resolve("plots"))) {
      assertThat(plots.map(p -> p.getFileName().toString()).toList()).contains("test_risk-vs-discretization.width,"
          + "solver.step=0.25.png");
    }
  }

  @Test
  void aFailedPointIsARowWithItsErrorAndTheOthersComplete() throws Exception {
    Study study = Study.of(spec, List.of(new Study.Axis("solver.step", List.of(0.5, -1.0))), 1);
    Study.Result result = spark(study, tmp.resolve("study"), "local[2]");
    assertThat(result.outcomes().get(0).status()).isEqualTo("completed");
    assertThat(result.outcomes().get(1).status()).isEqualTo("failed");
    assertThat(result.outcomes().get(1).error()).contains("solver.step");
    List<String> rows = Files.readAllLines(tmp.resolve("study/study.csv"));
    assertThat(rows).hasSize(3);
    assertThat(rows.get(2)).contains("failed", "solver.step");
  }

  @Test
  void aTaskWhoseExecutorDiesIsRedoneOnceAndCountedOnce() throws Exception {
    Study crashing = Study.of(spec.with("solver.kind", "crash-once"), List.of(new Study.Axis("discretization.width",
        List.of(16))), 1);
    Study.Result result = spark(crashing, tmp.resolve("spark"), "local[2,2]"); // two attempts per task
    assertThat(result.outcomes()).hasSize(1);
    assertThat(result.outcomes().get(0).status()).as(result.outcomes().get(0).error()).isEqualTo("completed");
    assertThat(CrashOnceSolver.ATTEMPTS.get()).isEqualTo(2);
    assertThat(Files.readAllLines(tmp.resolve("spark/study.csv"))).hasSize(2);

    Study plain = Study.of(spec, List.of(new Study.Axis("discretization.width", List.of(16))), 1);
    plain.run(varflow, tmp.resolve("local"), 1, "test_risk", Study.Listener.NONE);
    Study.Point point = plain.points().get(0);
    assertThat(Npy.read(point.directory(tmp.resolve("spark")).resolve("params/W.npy")).data())
        .containsExactly(Npy.read(point.directory(tmp.resolve("local")).resolve("params/W.npy")).data());
    assertThat(table(point.directory(tmp.resolve("spark")).resolve("history.csv"), "wall_ms"))
        .isEqualTo(table(point.directory(tmp.resolve("local")).resolve("history.csv"), "wall_ms"));
  }

  /**
   * Resume works across engines: a study made on Spark and started again on the local engine takes every run as it
   * is (each summary.json unchanged) and writes the same study.csv.
   */
  @Test
  void aStudyMadeOnSparkGoesOnUnderTheLocalEngine() throws Exception {
    Study study = Study.of(spec, List.of(new Study.Axis("discretization.width", List.of(8, 16))), 1);
    Path dir = tmp.resolve("study");
    spark(study, dir, "local[2]");
    List<String> summaries = new ArrayList<>();
    for (Study.Point point : study.points()) {
      summaries.add(Files.readString(point.directory(dir).resolve("summary.json")));
    }
    String table = Files.readString(dir.resolve("study.csv"));
    study.run(varflow, dir, 2, "test_risk", Study.Listener.NONE);
    for (int i = 0; i < summaries.size(); i++) {
      assertThat(study.points().get(i).directory(dir).resolve("summary.json")).hasContent(summaries.get(i));
    }
    assertThat(dir.resolve("study.csv")).hasContent(table);
  }

  /** @return study.csv without its wall-time columns */
  private static List<List<String>> withoutWallTimes(Path study) throws Exception {
    return table(study.resolve("study.csv"), "wall_s", "wall_ms");
  }

  /** @return the cells of a CSV file (no quoted commas in these), without the columns {@code dropped} */
  private static List<List<String>> table(Path csv, String... dropped) throws Exception {
    List<String> lines = Files.readAllLines(csv);
    List<String> header = List.of(lines.get(0).split(",", -1));
    List<List<String>> rows = new ArrayList<>();
    for (String line : lines) {
      List<String> cells = List.of(line.split(",", -1));
      List<String> kept = new ArrayList<>();
      for (int i = 0; i < cells.size(); i++) {
        if (!List.of(dropped).contains(header.get(i))) {
          kept.add(cells.get(i));
        }
      }
      rows.add(kept);
    }
    return rows;
  }

}
