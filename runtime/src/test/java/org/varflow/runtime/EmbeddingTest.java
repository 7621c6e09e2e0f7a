package org.varflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java example of the README runs as shown and gives the number the README's table gives. */
class EmbeddingTest {
  @TempDir
  Path tmp;

  @Test
  void theReadmeExampleRuns() throws Exception {
    Path runs = tmp.resolve("runs");
    // README example
    Varflow varflow = Varflow.load(tmp.resolve("plugins"));
    Spec spec = Spec.load(ProjectRoot.resolve("examples/random-features.yaml")).with("discretization.width", 500);
    try (Run run = varflow.prepare(spec)) {
      RunResult result = run.execute(runs.resolve("rf-500"), new RunListener() {
        @Override
        public boolean onRecord(Map<String, Object> row) {
          System.out.println(row);
          return true;
        }
      });
      double[] a = result.parameters().get("a");
      System.out.printf("test risk %.4f, |a| = %d%n", result.last().get("test_risk"), a.length);
      // end
      assertThat((Double) result.last().get("test_risk")).isCloseTo(0.1300, org.assertj.core.data.Offset.offset(5e-5));
      assertThat(a).hasSize(500);
      assertThat(result.status()).isEqualTo("completed");
      assertThat(result.history()).hasSize(2);
    }
    assertThat(runs.resolve("rf-500/summary.json")).exists();
    assertThat(runs.resolve("rf-500/params/a.npy")).exists();
  }

  /** The README shows the lines between the markers above, word for word (paths as seen from the repository root). */
  @Test
  void theReadmeShowsThisExample() throws IOException {
    String test = Files.readString(ProjectRoot.resolve("runtime/src/test/java/org/varflow/runtime/EmbeddingTest.java"));
    Matcher inTest = Pattern.compile("// README example\\n(.*?)\\n\\s*// end", Pattern.DOTALL).matcher(test);
    assertThat(inTest.find()).isTrue();
    Matcher inReadme = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(ProjectRoot.resolve("README.md")));
    assertThat(inReadme.find()).as("a java block in README.md").isTrue();
    // the README runs from the repository root, with its plugins/ and runs/; this test from anywhere, in a temporary
    // directory
    List<String> example = inTest.group(1).lines().map(l -> l.strip()
        .replace("ProjectRoot.resolve(\"examples/", "Path.of(\"examples/")
        .replace("tmp.resolve(\"plugins\")", "Path.of(\"plugins\")")
        .replace("runs.resolve(\"rf-500\")", "Path.of(\"runs/rf-500\")")).toList();
    assertThat(inReadme.group(1).lines().map(String::strip).toList()).containsSubsequence(example);
  }
}
