package org.varflow.runtime.plot;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varflow.api.io.Npy;
import org.varflow.runtime.Run;
import org.varflow.runtime.RunListener;
import org.varflow.runtime.ProjectRoot;
import org.varflow.runtime.Spec;
import org.varflow.runtime.Varflow;

/** The density heatmap of a grid run is drawn the right way round. */
class HeatmapTest {
  /** The bundled density example (d = 1, Ω = [−4, 4]² ∋ (w, b), a grid solved in one step) on the jvm backend. */
  private static final Path EXAMPLE = ProjectRoot.resolve("examples/density.yaml");

  @TempDir
  Path tmp;

  /**
   * density.png is the heatmap as {@link DensityPlots} renders the run's density (same pixels), and at the
   * pixels of the grid nodes where u* (params/u.npy, C order, b fastest) is largest and smallest it is
   * the reddest and the bluest: w runs to the right, b up.
   */
  @Test
  void heatmapPutsWRightAndBUp() throws Exception {
    Spec spec = Spec.load(EXAMPLE).with("backend", "jvm");
    Varflow varflow = Varflow.load(null);
    Path dir = tmp.resolve("run");
    try (Run run = varflow.prepare(spec)) {
      assertThat(run.execute(dir, RunListener.NONE).plots()).containsExactly(dir.resolve("plots/history.png"),
          dir.resolve("plots/density.png"));
    }
    BufferedImage image = png(dir.resolve("plots/density.png"));

    Charts.Plot plot;
    try (Run run = varflow.prepare(spec)) {
      run.execute(null, RunListener.NONE);
      plot = DensityPlots.write(tmp.resolve("plots"), run.flow().density().orElseThrow(), "u* (grid)",
          Optional.empty()).get(0);
    }
    BufferedImage same = png(plot.file());
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        assertThat(same.getRGB(x, y)).as("pixel (%d, %d)", x, y).isEqualTo(image.getRGB(x, y));
      }
    }

    double[] u = Npy.read(dir.resolve("params/u.npy")).data();
    int points = (int) Math.round(Math.sqrt(u.length));
    int max = 0;
    int min = 0;
    for (int q = 0; q < u.length; q++) {
      max = u[q] > u[max] ? q : max;
      min = u[q] < u[min] ? q : min;
    }
    Rectangle2D area = plot.dataArea();
    int most = 0;
    int least = 0;
    for (int y = (int) Math.ceil(area.getMinY()); y < (int) area.getMaxY(); y++) {
      for (int x = (int) Math.ceil(area.getMinX()); x < (int) area.getMaxX(); x++) {
        most = Math.max(most, redness(image, x, y));
        least = Math.min(least, redness(image, x, y));
      }
    }
    assertThat(most).isGreaterThan(100);
    assertThat(least).isLessThan(-100);
    int[] atMax = pixel(area, max / points, max % points, points);
    int[] atMin = pixel(area, min / points, min % points, points);
    assertThat(redness(image, atMax[0], atMax[1])).as("at the max of u*").isGreaterThan(most - 12);
    assertThat(redness(image, atMin[0], atMin[1])).as("at the min of u*").isLessThan(least + 12);
  }

  private static BufferedImage png(Path file) throws Exception {
    BufferedImage image = ImageIO.read(file.toFile());
    assertThat(image).as("%s decodes", file).isNotNull();
    assertThat(image.getWidth()).isEqualTo(Charts.WIDTH);
    assertThat(image.getHeight()).isEqualTo(Charts.HEIGHT);
    return image;
  }

  /** Red minus blue channel: positive where u &gt; 0. */
  private static int redness(BufferedImage image, int x, int y) {
    int rgb = image.getRGB(x, y);
    return ((rgb >> 16) & 0xff) - (rgb & 0xff);
  }

  /** The pixel of grid node (i, j) = (w_i, b_j) on [−4, 4]², kept 2 px inside the data area. */
  private static int[] pixel(Rectangle2D area, int i, int j, int points) {
    double fw = (double) i / (points - 1);
    double fb = (double) j / (points - 1);
    double x = area.getMinX() + fw * area.getWidth();
    double y = area.getMaxY() - fb * area.getHeight();
    return new int[] {
      (int) Math.max(area.getMinX() + 2, Math.min(area.getMaxX() - 3, x)),
      (int) Math.max(area.getMinY() + 2, Math.min(area.getMaxY() - 3, y))};
  }
}
