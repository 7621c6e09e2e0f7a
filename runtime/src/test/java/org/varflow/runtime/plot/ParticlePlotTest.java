package org.varflow.runtime.plot;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYZDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varflow.api.io.Npy;
import org.varflow.runtime.Run;
import org.varflow.runtime.RunListener;
import org.varflow.runtime.Spec;
import org.varflow.runtime.Varflow;

/**
 * A particle run in (w, b) draws its final particles at (w_j, b_j) coloured by a_j: the dataset is the run's
 * params/a.npy and W.npy, the particle of largest a is red at its pixel and that of smallest a blue; a cloud in
 * more coordinates draws none.
 */
class ParticlePlotTest {
  @TempDir
  Path tmp;

  private static Spec spec(int d) {
    return Spec.quickstart().with("backend", "jvm").with("data.train.d", d).with("data.test.d", d)
        .with("data.train.n", 200).with("data.test.n", 200).with("discretization.width", 12)
        .with("solver.steps", 20);
  }

  @Test
  void drawsTheFinalParticlesAtTheirInnerWeightsColouredByA() throws Exception {
    Path dir = tmp.resolve("run");
    try (Run run = Varflow.load(null).prepare(spec(1))) {
      assertThat(run.execute(dir, RunListener.NONE).plots()).containsExactly(dir.resolve("plots/history.png"),
          dir.resolve("plots/particles.png"));
    }
    assertThat(dir.resolve("plots/particles.svg")).isRegularFile();
    double[] a = Npy.read(dir.resolve("params/a.npy")).data();
    double[] w = Npy.read(dir.resolve("params/W.npy")).data();
    assertThat(w).hasSize(2 * a.length);

    JFreeChart chart = ParticlePlot.chart(a, w, 2, true, "t");
    XYPlot plot = chart.getXYPlot();
    XYZDataset data = (XYZDataset) plot.getDataset();
    assertThat(data.getItemCount(0)).isEqualTo(a.length);
    int max = 0;
    int min = 0;
    for (int j = 0; j < a.length; j++) {
      assertThat(data.getXValue(0, j)).isEqualTo(w[2 * j]);
      assertThat(data.getYValue(0, j)).isEqualTo(w[2 * j + 1]);
      assertThat(data.getZValue(0, j)).isEqualTo(a[j]);
      max = a[j] > a[max] ? j : max;
      min = a[j] < a[min] ? j : min;
    }
    assertThat(plot.getDomainAxis().getLabel()).isEqualTo("w");
    assertThat(plot.getRangeAxis().getLabel()).isEqualTo("b");
    Charts.Plot drawn = Charts.png(tmp.resolve("particles.png"), chart);
    BufferedImage image = ImageIO.read(drawn.file().toFile());
    assertThat(redness(image, pixel(plot, drawn.dataArea(), w, max))).as("at the particle of largest a")
        .isGreaterThan(60);
    assertThat(redness(image, pixel(plot, drawn.dataArea(), w, min))).as("at the particle of smallest a")
        .isLessThan(-60);
  }

  @Test
  void aCloudInMoreCoordinatesDrawsNone() throws Exception {
    Path dir = tmp.resolve("run");
    try (Run run = Varflow.load(null).prepare(spec(3))) {
      assertThat(run.execute(dir, RunListener.NONE).plots()).containsExactly(dir.resolve("plots/history.png"));
    }
  }

  @Test
  void aWideCloudIsThinnedAndASingleWeightIsDrawnAgainstA() {
    int m = 12_345;
    double[] a = new double[m];
    double[] w = new double[m];
    for (int j = 0; j < m; j++) {
      a[j] = Math.sin(j);
      w[j] = Math.cos(j);
    }
    XYPlot plot = ParticlePlot.chart(a, w, 1, false, "t").getXYPlot();
    XYZDataset data = (XYZDataset) plot.getDataset();
    assertThat(data.getItemCount(0)).isEqualTo(4115); // every third of 12,345
    assertThat(data.getXValue(0, 7)).isEqualTo(w[21]);
    assertThat(data.getYValue(0, 7)).isEqualTo(a[21]);
    assertThat(plot.getRangeAxis().getLabel()).isEqualTo("a");
  }

  private static int[] pixel(XYPlot plot, Rectangle2D area, double[] w, int j) {
    return new int[] {
      (int) Math.round(plot.getDomainAxis().valueToJava2D(w[2 * j], area, RectangleEdge.BOTTOM)),
      (int) Math.round(plot.getRangeAxis().valueToJava2D(w[2 * j + 1], area, RectangleEdge.LEFT))};
  }

  /** Red minus blue channel: positive where a &gt; 0. */
  private static int redness(BufferedImage image, int[] xy) {
    int rgb = image.getRGB(xy[0], xy[1]);
    return ((rgb >> 16) & 0xff) - (rgb & 0xff);
  }
}
