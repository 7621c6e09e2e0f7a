package org.varflow.runtime.plot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.varflow.api.flow.ParameterDensity;

/**
 * The plots of a density run for k ≤ 2, i.e. a two-dimensional Ω: {@code density.png}, a heatmap of u*
 * over Ω's coordinate box (w, b), or (ϕ, b) for a circle; and, given a width-N network,
 * {@code density-network.png}, the same heatmap with the network's particles on top. Rendered headless.
 */
public final class DensityPlots {
  private DensityPlots() {}

  /**
   * Writes the plots of {@code density} into {@code dir}; none when Ω is not two-dimensional.
   *
   * @param title the plots' title, e.g. naming the discretization
   * @param network the particles to draw over u* in {@code density-network.png}; empty: no such plot
   * @return the plots written, {@code density.png} first
   */
  public static List<Charts.Plot> write(Path dir, ParameterDensity density, String title, Optional<Network> network)
      throws IOException {
    if (density.domain().dimension() != 2) {
      return List.of();
    }
    Heatmap heatmap = new Heatmap(density, title);
    List<Charts.Plot> plots = new ArrayList<>();
    plots.add(Charts.png(dir.resolve("density.png"), heatmap.chart(null)));
    if (network.isPresent()) {
      plots.add(Charts.png(dir.resolve("density-network.png"), heatmap.chart(network.get())));
    }
    return plots;
  }

}
