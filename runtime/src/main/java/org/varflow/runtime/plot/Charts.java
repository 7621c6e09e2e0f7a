package org.varflow.runtime.plot;

import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;
import org.varflow.api.io.AtomicFiles;

/**
 * Renders charts headless, each into a PNG and an SVG of the same name and size: every plot a run or a study
 * draws.
 */
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
   * @param svg the same chart as SVG, beside it ({@code name.svg})
   * @param dataArea where the coordinate box lies in its pixels (x to the right, y down)
   */
  public record Plot(Path file, Path svg, Rectangle2D dataArea) {}

  /**
   * @param file the PNG to write, {@code name.png}
   * @return the plot written: {@code chart} as a WIDTH×HEIGHT PNG and the same as SVG beside it, each written
   *     atomically
   */
  public static Plot png(Path file, JFreeChart chart) throws IOException {
    ChartRenderingInfo info = new ChartRenderingInfo(null);
    BufferedImage image = chart.createBufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB, info);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(image, "png", bytes);
    AtomicFiles.write(file, bytes.toByteArray());
    SVGGraphics2D svg = new SVGGraphics2D(WIDTH, HEIGHT);
    chart.draw(svg, new Rectangle2D.Double(0, 0, WIDTH, HEIGHT));
    Path svgFile = file.resolveSibling(file.getFileName().toString().replaceFirst("\\.png$", "") + ".svg");
    AtomicFiles.write(svgFile, svg.getSVGDocument().getBytes(StandardCharsets.UTF_8));
    return new Plot(file, svgFile, info.getPlotInfo().getDataArea());
  }
}
