package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A study killed (kill -9) in its own JVM while its second run is under way, then started again with the same --out:
 * the completed run is taken as it is, the interrupted one resumes from its checkpoint to the numbers of a run never
 * stopped, and study.csv lists every point once.
 */
class StudyKillTest {
  @TempDir
  Path tmp;

  @Test
  void aKilledStudySkipsWhatIsDoneAndResumesWhatWasUnderWay() throws Exception {
    Path out = tmp.resolve("study");
    String[] study = {"study", "--set", "backend=jvm", "--set", "discretization.width=32", "--set",
        "solver.steps=3000", "--set", "solver.record_every=100", "--set", "solver.checkpoint_every=50", "--vary",
        "solver.step=0.25,0.5", "--seeds", "2", "--jobs", "1", "--out", out.toString()};
    Path first = out.resolve("runs/solver.step=0.25/seed-1");
    Path second = out.resolve("runs/solver.step=0.25/seed-2");
    Process child = new ProcessBuilder(ChildJvm.varflow("-Xmx512m", study)).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("child.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(second.resolve("checkpoint/checkpoint.json"))) {
      assertThat(child.isAlive()).as("the study is still going: %s", Files.readString(tmp.resolve("child.log")))
          .isTrue();
      assertThat(System.nanoTime()).as("the second run's first checkpoint within 120 s").isLessThan(deadline);
      Thread.sleep(5);
    }
    child.destroyForcibly();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(first.resolve("summary.json")).exists();
    assertThat(second.resolve("summary.json")).as("the second run was under way").doesNotExist();
    assertThat(out.resolve("study.csv")).doesNotExist();
    FileTime firstDone = Files.getLastModifiedTime(first.resolve("summary.json"));

    Cli again = Cli.run(study);
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).contains("4 of 4 runs completed");
    assertThat(Files.getLastModifiedTime(first.resolve("summary.json"))).as("the completed run, untouched")
        .isEqualTo(firstDone);
    List<String> rows = Files.readAllLines(out.resolve("study.csv"));
    assertThat(rows).hasSize(5);
    assertThat(rows.subList(1, 5)).allSatisfy(row -> assertThat(row).contains(",completed,"));
    List<Long> steps = new ArrayList<>();
    for (String line : Files.readAllLines(second.resolve("history.csv")).subList(1, 32)) {
      steps.add(Long.parseLong(line.split(",")[0]));
    }
    assertThat(steps).as("one row per record, none twice").isSorted().doesNotHaveDuplicates().hasSize(31);

    Path alone = tmp.resolve("alone");
    Cli reference = Cli.run("run", "--set", "backend=jvm", "--set", "discretization.width=32", "--set",
        "solver.steps=3000", "--set", "solver.record_every=100", "--set", "solver.step=0.25", "--set", "seed=2",
        "--out", alone.toString());
    assertThat(reference.exitCode()).as(reference.err()).isZero();
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(second.resolve("summary.json").toFile()).at("/final/energy").asDouble())
        .isEqualTo(json.readTree(alone.resolve("summary.json").toFile()).at("/final/energy").asDouble());
  }
}
