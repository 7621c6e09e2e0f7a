package org.varflow.runtime.plot;

import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.varflow.api.io.AtomicFiles;

/** Renders charts headless into PNG files of one size: every plot a run or a study draws. */
public final class Charts {
  /** Width of every plot in pixels. */
  public static final int WIDTH = 800;
  /** Height of every plot in pixels. */
  public static final int HEIGHT = 640;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Charts() {}

  /**
   * A written plot.
   *
   * @param file the PNG
   * @param dataArea where the coordinate box lies in its pixels (x to the right, y down)
   */
  public record Plot(Path file, Rectangle2D dataArea) {}

  /** @return the plot written: {@code chart} as a WIDTH×HEIGHT PNG, written atomically */
  public static Plot png(Path file, JFreeChart chart) throws IOException {
    ChartRenderingInfo info = new ChartRenderingInfo(null);
    BufferedImage image = chart.createBufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB, info);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(image, "png", bytes);
    AtomicFiles.write(file, bytes.toByteArray());
    return new Plot(file, info.getPlotInfo().getDataArea());
  }
}
