package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varflow.api.io.Npy;

/**
 * The figures the README quotes for its examples, read from README.md and reproduced by the commands it gives: the
 * random-features table, the density tables (grid and spectral), the exported network of examples/density.yaml, and
 * examples/density-circle.yaml end to end. Each figure must match to half a unit of its last printed digit (the runs
 * are seeded and the backends agree to ~1e-10, so a larger difference is a change of behaviour). The grid of 129
 * points (a dense system of 16641 unknowns, 2.2 GB) is too large for the tests: bench/density-figures.sh checks it.
 */
class ReadmeFiguresTest {
  /** The largest grid run here; the README's larger ones are checked by bench/density-figures.sh. */
  private static final int LARGEST_GRID = 65;
  private static String readme;

  @TempDir
  Path tmp;

  @BeforeAll
  static void readReadme() throws Exception {
    readme = Files.readString(ProjectRoot.resolve("README.md"));
  }

  /** | `random-features`, m = 100 | 0.1757 | … | `kernel` (m = ∞, arc-cosine kernel) | 0.1190 | */
  @Test
  void theRandomFeaturesTable() throws Exception {
    Matcher row = Pattern.compile("\\| `random-features`, m = (\\d+) \\| ([0-9.]+) \\|").matcher(readme);
    List<String> widths = new ArrayList<>();
    while (row.find()) {
      widths.add(row.group(1));
      JsonNode summary = run("rf-" + row.group(1), "random-features.yaml", "discretization.width=" + row.group(1));
      assertFigure("random features, m = " + row.group(1), summary.at("/final/test_risk").asDouble(), row.group(2));
    }
    assertThat(widths).containsExactly("100", "500", "2000");
    String kernel = find("\\| `kernel` \\(m = ∞, arc-cosine kernel\\) \\| ([0-9.]+) \\|")[0];
    JsonNode summary = run("kernel", "random-features.yaml", "discretization={kind: kernel}");
    assertFigure("kernel", summary.at("/final/test_risk").asDouble(), kernel);
  }

  /** | grid `points` | 9 | 17 | … and | spectral `degree` | 4 | 8 | …, each with its test-risk row. */
  @Test
  void theDensityTables() throws Exception {
    List<String[]> grid = table("grid `points`");
    assertThat(grid.get(0)).startsWith("9", "17", "33", "65");
    for (int i = 0; i < grid.get(0).length; i++) {
      int points = Integer.parseInt(grid.get(0)[i]);
      if (points <= LARGEST_GRID) {
        JsonNode summary = run("grid-" + points, "density.yaml", "discretization.points=" + points);
        assertFigure("grid, " + points + " points", summary.at("/final/test_risk").asDouble(), grid.get(1)[i]);
      }
    }
    List<String[]> spectral = table("spectral `degree`");
    assertThat(spectral.get(0)).containsExactly("4", "8", "12", "16", "24");
    for (int i = 0; i < spectral.get(0).length; i++) {
      String degree = spectral.get(0)[i];
      JsonNode summary = run("spectral-" + degree, "density.yaml", "discretization={kind: spectral, degree: " + degree
          + "}");
      assertFigure("spectral, degree " + degree, summary.at("/final/test_risk").asDouble(), spectral.get(1)[i]);
    }
  }

  /** "On `examples/density.yaml` (grid 33², N = 300, 400 steps): u* test risk …, sampled network …, trained …". */
  @Test
  void theExportedNetworkOfTheDensityExample() throws Exception {
    String[] figures = find("On `examples/density.yaml`\\s+\\(grid 33², N = 300, 400 steps\\): u\\* test risk "
        + NUMBER + ", sampled network " + NUMBER + ", trained " + NUMBER + "\\.");
    JsonNode summary = run("export", "density.yaml", "export.network_width=300", "export.train.steps=400");
    assertFigure("u*", summary.at("/final/test_risk").asDouble(), figures[0]);
    assertFigure("sampled network", summary.at("/network/sampled/test_risk").asDouble(), figures[1]);
    assertFigure("trained network", summary.at("/network/trained/test_risk").asDouble(), figures[2]);
  }

  /**
   * examples/density-circle.yaml as it is (spectral P = 16 on S¹ × [−2, 2], a width-300 network sampled and trained
   * 400 steps): a complete run directory with the nested network run, both plots and the figures the README gives.
   */
  @Test
  void theCircleExampleEndToEnd() throws Exception {
    String[] figures = find("\\(examples/density-circle\\.yaml\\) \\(d = 2, ReLU, w on the unit circle,\\s+spectral P = 16,"
        + " width 300 trained 400 steps\\): u\\* test risk " + NUMBER + ", sampled network " + NUMBER + ", trained "
        + NUMBER + "\\.");
    Path dir = tmp.resolve("circle");
    Cli cli = Cli.run("run", ProjectRoot.example("density-circle.yaml"), "--out", dir.toString());
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(cli.out()).containsPattern("\\nnetwork +sampled +trained\\n").contains("run directory: " + dir);
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    assertThat(summary.get("status").asText()).isEqualTo("completed");
    assertThat(summary.at("/network/trained/status").asText()).isEqualTo("completed");
    assertThat(summary.at("/network/trained/steps").asInt()).isEqualTo(400);
    assertThat(summary.get("plots")).extracting(JsonNode::asText).containsExactly("plots/history.png",
        "plots/density.png", "plots/density-network.png");
    for (String file : List.of("plots/density.png", "plots/density-network.png", "network/spec.yaml",
        "network/summary.json", "params/u.npy")) {
      assertThat(dir.resolve(file)).isNotEmptyFile();
    }
    // 300 neurons of (w₁, w₂, b): d = 2 inputs and the bias column
    assertThat(Npy.read(dir.resolve("params/network/W.npy")).shape()).containsExactly(300, 3);
    assertFigure("u*", summary.at("/final/test_risk").asDouble(), figures[0]);
    assertFigure("sampled network", summary.at("/network/sampled/test_risk").asDouble(), figures[1]);
    assertFigure("trained network", summary.at("/network/trained/test_risk").asDouble(), figures[2]);
  }

  private static final String NUMBER = "([0-9]+\\.[0-9]+(?:e-?[0-9]+)?)";

  /** @return the summary of {@code varflow run examples/<example> --set <set>...} */
  private JsonNode run(String name, String example, String... set) throws Exception {
    List<String> args = new ArrayList<>(List.of("run", ProjectRoot.example(example)));
    for (String s : set) {
      args.addAll(List.of("--set", s));
    }
    Path dir = tmp.resolve(name);
    args.addAll(List.of("--out", dir.toString()));
    Cli cli = Cli.run(args.toArray(String[]::new));
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    return new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
  }

  /** Within half a unit of the last digit the README prints (3.05e-2: ±5e-5; 0.140: ±5e-4). */
  private static void assertFigure(String what, double actual, String printed) {
    BigDecimal value = new BigDecimal(printed);
    double half = value.ulp().doubleValue() / 2;
    assertThat(Math.abs(actual - value.doubleValue())).as("%s: %s, the README says %s", what, actual, printed)
        .isLessThanOrEqualTo(half * (1 + 1e-9));
  }

  /** @return the groups of the README's one match of {@code regex} */
  private static String[] find(String regex) {
    Matcher m = Pattern.compile(regex).matcher(readme);
    assertThat(m.find()).as("README.md has %s", regex).isTrue();
    String[] groups = new String[m.groupCount()];
    for (int i = 0; i < groups.length; i++) {
      groups[i] = m.group(i + 1);
    }
    assertThat(m.find()).as("README.md has %s once", regex).isFalse();
    return groups;
  }

  /**
   * @return the header cells and the test-risk cells (without a timing in parentheses) of the README table whose
   *     first header cell is {@code first}
   */
  private static List<String[]> table(String first) {
    List<String> lines = readme.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("| " + first + " |")) {
        String[] header = cells(lines.get(i));
        String[] risks = cells(lines.get(i + 2));
        assertThat(risks[0]).isEqualTo("test risk");
        return List.of(Arrays.copyOfRange(header, 1, header.length), Arrays.stream(risks).skip(1)
            .map(c -> c.replaceAll(" \\(.*\\)$", "")).toArray(String[]::new));
      }
    }
    throw new AssertionError("README.md has no table headed " + first);
  }

  private static String[] cells(String line) {
    return Arrays.stream(line.substring(1, line.lastIndexOf('|')).split("\\|")).map(String::strip)
        .toArray(String[]::new);
  }
}
