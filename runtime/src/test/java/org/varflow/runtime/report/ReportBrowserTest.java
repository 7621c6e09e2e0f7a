package org.varflow.runtime.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varflow.runtime.Run;
import org.varflow.runtime.RunListener;
import org.varflow.runtime.Spec;
import org.varflow.runtime.Varflow;
import org.varflow.runtime.plot.Charts;
import org.varflow.runtime.study.Study;

/**
 * The reports open in a real browser, offline: a headless Chromium loads each page with every host name
 * unresolvable, and once the page has loaded every image in it is complete and decoded at the plot size and laid
 * out with a width. The check runs in the page: a copy of the report with a script appended that writes
 * {@code decoded/total} into the body once the load event has fired (the report itself has no script).
 */
class ReportBrowserTest {
  private static final Pattern COUNT = Pattern.compile("data-images=\"(\\d+)/(\\d+)\"");
  private static final String CHECK = "<script>addEventListener('load', () => { const all = [...document.images];"
      + " const ok = all.filter(i => i.complete && i.naturalWidth === " + Charts.WIDTH + " && i.naturalHeight === "
      + Charts.HEIGHT + " && i.getBoundingClientRect().width > 0); document.body.setAttribute('data-images',"
      + " ok.length + '/' + all.length); });</script>";

  private static Chromium browser;

  @TempDir
  Path tmp;

  private final Varflow varflow = Varflow.load(Path.of("no-plugins"));
  /** A particle run in (w, b): a history plot and a particle plot. */
  private final Spec spec = Spec.quickstart().with("backend", "jvm").with("data.train.d", 1).with("data.test.d", 1)
      .with("data.train.n", 200).with("data.test.n", 200).with("discretization.width", 32).with("solver.steps", 20);

  @BeforeAll
  static void findTheBrowser() throws Exception {
    Path log = Path.of("target", "browser-setup.log").toAbsolutePath();
    Optional<Chromium> found = Chromium.find(log);
    Assumptions.assumeTrue(found.isPresent(), "no headless Chromium (VARFLOW_BROWSER, chromium-headless-shell or"
        + " chromium on the PATH) and it could not be installed; see " + log);
    browser = found.get();
  }

  @Test
  void aRunsReportLoadsWithEveryImage() throws Exception {
    Path dir = tmp.resolve("run");
    try (Run run = varflow.prepare(spec)) {
      run.execute(dir, RunListener.NONE);
    }
    assertThat(imagesShown(Report.write(dir))).isEqualTo(new int[] {2, 2});
  }

  @Test
  void aStudysReportLoadsWithEveryImage() throws Exception {
    Path dir = tmp.resolve("study");
    Study.of(spec, List.of(new Study.Axis("discretization.width", List.of(8, 32))), 1)
        .run(varflow, dir, 1, "test_risk", Study.Listener.NONE);
    assertThat(imagesShown(Report.write(dir))).isEqualTo(new int[] {1, 1});
  }

  /** A broken image is seen as such: the check can fail. */
  @Test
  void aBrokenImageIsCounted() throws Exception {
    Path page = tmp.resolve("broken.html");
    Files.writeString(page, "<!DOCTYPE html><html><body><img src=\"data:image/png;base64,AAAA\"></body></html>");
    assertThat(imagesShown(page)).isEqualTo(new int[] {0, 1});
  }

  /** @return {decoded, total} images of {@code report} once loaded in the browser */
  private int[] imagesShown(Path report) throws Exception {
    Path page = report.resolveSibling("browser-check.html");
    Files.writeString(page, Files.readString(report).replace("</body>", CHECK + "</body>"));
    String dom = browser.dumpDom(page, Files.createDirectories(tmp.resolve("profile-" + report.getFileName())));
    Matcher m = COUNT.matcher(dom);
    assertThat(m.find()).as("the check ran in %s (DOM: %.300s)", browser, dom).isTrue();
    return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
  }
}
