package org.varflow.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varflow.api.io.Npy;
import org.varflow.app.PluginJars;
import org.varflow.runtime.RunListener;
import org.varflow.runtime.Spec;
import org.varflow.runtime.Varflow;
import org.varflow.runtime.study.Study;
import org.varflow.runtime.study.StudyEngine;

/**
 * The plugin folder travels with a study on Spark: the example midpoint solver, built as a module requiring
 * org.varflow.api into a plugin folder that is not on any class path, solves the study's runs on the executors (which
 * load the folder Spark shipped them) to the numbers it gives in this JVM's local engine.
 */
class SparkPluginFolderTest {
  private static final Path MIDPOINT = Path.of("../../examples/plugins/midpoint/src/main/java").toAbsolutePath()
      .normalize();

  @TempDir
  Path tmp;

  @Test
  void thePluginFolderIsShippedAndLoadedOnTheExecutors() throws Exception {
    Path plugins = tmp.resolve("plugins");
    Path solvers = PluginJars.location(Varflow.load(null).registry().solver("explicit-euler"));
    PluginJars.build(plugins.resolve("midpoint.jar"), "1.0.0", MIDPOINT, List.of(PluginJars.api(), solvers));
    Varflow varflow = Varflow.load(plugins);
    Spec spec = Spec.quickstart().with("backend", "jvm").with("data.train.n", 200).with("data.test.n", 100)
        .with("solver", Map.of("kind", "midpoint", "step", 0.1, "steps", 20));
    Study study = Study.of(spec, List.of(new Study.Axis("discretization.width", List.of(8, 16))), 1);

    Study.Result onSpark = study.run(StudyEngine.of("spark"), new StudyEngine.Setting(varflow, Optional.of(plugins), 1,
        Map.of("master", "local[2]"), Study.Listener.NONE, t -> RunListener.NONE), tmp.resolve("spark"), "test_risk");
    study.run(varflow, tmp.resolve("local"), 1, "test_risk", Study.Listener.NONE);

    assertThat(onSpark.outcomes()).allSatisfy(o -> assertThat(o.status()).as(o.error()).isEqualTo("completed"));
    for (Study.Point point : study.points()) {
      assertThat(point.directory(tmp.resolve("spark")).resolve("summary.json")).content().contains("\"midpoint\"");
      assertThat(Npy.read(point.directory(tmp.resolve("spark")).resolve("params/W.npy")).data())
          .containsExactly(Npy.read(point.directory(tmp.resolve("local")).resolve("params/W.npy")).data());
    }
  }
}
