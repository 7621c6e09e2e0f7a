package org.varflow.runtime.plot;

import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.varflow.api.flow.ParameterDensity;
import org.varflow.api.io.AtomicFiles;

/**
 * The plots of a density run for k ≤ 2, i.e. a two-dimensional Ω: {@code density.png}, a heatmap of u*
 * over Ω's coordinate box (w, b), or (ϕ, b) for a circle; and, given a width-N network,
 * {@code density-network.png}, the same heatmap with the network's particles on top. Rendered headless.
 */
public final class DensityPlots {
  /** Width of every plot in pixels. */
  public static final int WIDTH = 800;
  /** Height of every plot in pixels. */
  public static final int HEIGHT = 640;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private DensityPlots() {}

  /**
   * A written plot.
   *
   * @param file the PNG
   * @param dataArea where the coordinate box lies in its pixels (x to the right, y down)
   */
  public record Plot(Path file, Rectangle2D dataArea) {}

  /**
   * Writes the plots of {@code density} into {@code dir}; none when Ω is not two-dimensional.
   *
   * @param title the plots' title, e.g. naming the discretization
   * @param network the particles to draw over u* in {@code density-network.png}; empty: no such plot
   * @return the plots written, {@code density.png} first
   */
  public static List<Plot> write(Path dir, ParameterDensity density, String title, Optional<Network> network)
      throws IOException {
    if (density.domain().dimension() != 2) {
      return List.of();
    }
    Heatmap heatmap = new Heatmap(density, title);
    List<Plot> plots = new ArrayList<>();
    plots.add(png(dir.resolve("density.png"), heatmap.chart(null)));
    if (network.isPresent()) {
      plots.add(png(dir.resolve("density-network.png"), heatmap.chart(network.get())));
    }
    return plots;
  }

  private static Plot png(Path file, JFreeChart chart) throws IOException {
    ChartRenderingInfo info = new ChartRenderingInfo(null);
    BufferedImage image = chart.createBufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB, info);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(image, "png", bytes);
    AtomicFiles.write(file, bytes.toByteArray());
    return new Plot(file, info.getPlotInfo().getDataArea());
  }
}
