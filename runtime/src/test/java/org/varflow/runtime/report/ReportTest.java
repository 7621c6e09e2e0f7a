package org.varflow.runtime.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varflow.api.SpecException;
import org.varflow.runtime.Run;
import org.varflow.runtime.RunListener;
import org.varflow.runtime.RunResult;
import org.varflow.runtime.Spec;
import org.varflow.runtime.Varflow;
import org.varflow.runtime.plot.Charts;
import org.varflow.runtime.study.Study;

/**
 * The report of a run and of a study is one self-contained page: the run's status and final numbers, the study's
 * slope and every run, and every plot as an embedded PNG that decodes; nothing is fetched from outside the page.
 */
class ReportTest {
  private static final Pattern IMAGE = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");

  @TempDir
  Path tmp;

  private final Varflow varflow = Varflow.load(Path.of("no-plugins"));
  private final Spec spec = Spec.quickstart().with("backend", "jvm").with("solver.steps", 20)
      .with("solver.record_every", 10);

  @Test
  void aRunsReportHasItsNumbersAndItsPlots() throws Exception {
    Path dir = tmp.resolve("run");
    RunResult result;
    try (Run run = varflow.prepare(spec)) {
      result = run.execute(dir, RunListener.NONE);
    }
    String html = Files.readString(Report.write(dir));
    assertThat(html).contains("status <b>completed</b>", "20 steps", "test_risk",
        String.format(Locale.ROOT, "%.6g", (Double) result.last().get("test_risk")), "discretization:");
    assertThat(images(html)).hasSize(1);
    selfContained(html);
  }

  @Test
  void aStudysReportHasItsRatesRunsAndPlots() throws Exception {
    Path dir = tmp.resolve("study");
    Study.Result result = Study.of(spec, List.of(new Study.Axis("discretization.width", List.of(16, 64, 256))), 1)
        .run(varflow, dir, 1, "test_risk", Study.Listener.NONE);
    String html = Files.readString(Report.write(dir));
    assertThat(html).contains("Rates of test_risk",
        String.format(Locale.ROOT, "%.6g", result.rates().get(0).fit().slope()));
    assertThat(html.split("<td>completed</td>", -1)).hasSize(4);
    assertThat(images(html)).hasSize(1);
    selfContained(html);
  }

  /** A semi-log fit against a reference says so: what is fitted, on which axes, and the reference's values. */
  @Test
  void aStudysReportNamesItsFitAndReference() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("decay"));
    Files.writeString(dir.resolve("study.csv"), "solver.time,seed,status,energy\n1,1,completed,0.5\n");
    Files.writeString(dir.resolve("rates.json"), """
        {"metric": "energy", "fit": "semilog", "quantity": "|energy - reference|",
         "reference": {"set": {"solver.kind": "stationary"}, "metric": "energy", "values": {"1": 0.25}},
         "rates": [{"key": "solver.time", "fixed": {}, "points": 3, "slope": -0.131, "interval": [-0.134, -0.128],
                    "r2": 0.999, "x": [1, 2, 3], "mean": [0.2, 0.17, 0.15]}]}
        """);
    String html = Files.readString(Report.write(dir));
    assertThat(html).contains("Rates of |energy - reference|", "−rate of an exponential",
        "{&quot;solver.kind&quot;:&quot;stationary&quot;}", "{&quot;1&quot;:0.25}", "-0.131000");
  }

  @Test
  void aDirectoryThatIsNeitherIsRefusedNamingIt() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("notes"));
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> Report.write(dir)))
        .isInstanceOf(SpecException.class).hasMessageContaining("notes");
  }

  /** @return the embedded images, each decoded and of the plot size */
  private static List<BufferedImage> images(String html) throws Exception {
    List<BufferedImage> out = new ArrayList<>();
    Matcher m = IMAGE.matcher(html);
    while (m.find()) {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
      assertThat(image).isNotNull();
      assertThat(image.getWidth()).isEqualTo(Charts.WIDTH);
      out.add(image);
    }
    return out;
  }

  private static void selfContained(String html) {
    assertThat(html).startsWith("<!DOCTYPE html>").doesNotContain("<script", "http://", "https://", "<link");
  }
}
