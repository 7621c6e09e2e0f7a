package org.varflow.runtime.plot;

import java.awt.Color;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.DefaultXYZDataset;
import org.varflow.api.flow.ParameterDensity;
import org.varflow.api.problem.ParameterDomain;

/**
 * u* on a two-dimensional Ω as a heatmap over its coordinate box: u evaluated at the centres
 * t = lower + (i + ½)(upper − lower)/L, i = 0..L−1, of an L × L lattice (L = 200), each drawn as its cell,
 * coloured by a {@link DivergingScale} on [−max|u|, max|u|] with a colour bar.
 */
final class Heatmap {
  static final int LATTICE = 200;

  private final ParameterDomain domain;
  private final String title;
  private final DefaultXYZDataset cells = new DefaultXYZDataset();
  private final double[] cellSize = new double[2];
  private final double bound;

  /** Evaluates u* on the lattice. */
  Heatmap(ParameterDensity density, String title) {
    domain = density.domain();
    this.title = title;
    double[] lower = domain.lower();
    double[] upper = domain.upper();
    for (int axis = 0; axis < 2; axis++) {
      cellSize[axis] = (upper[axis] - lower[axis]) / LATTICE;
    }
    double[] t = new double[2 * LATTICE * LATTICE];
    double[][] xyz = new double[3][LATTICE * LATTICE];
    for (int i = 0; i < LATTICE; i++) {
      for (int j = 0; j < LATTICE; j++) {
        int p = i * LATTICE + j;
        xyz[0][p] = t[2 * p] = lower[0] + (i + 0.5) * cellSize[0];
        xyz[1][p] = t[2 * p + 1] = lower[1] + (j + 0.5) * cellSize[1];
      }
    }
    xyz[2] = density.values(t);
    double max = 0;
    for (double u : xyz[2]) {
      max = Math.max(max, Math.abs(u));
    }
    bound = max > 0 && Double.isFinite(max) ? max : 1;
    cells.addSeries("u*", xyz);
  }

  /** @return the heatmap, with {@code network}'s particles on top unless it is null */
  JFreeChart chart(Network network) {
    DivergingScale scale = new DivergingScale(bound);
    XYBlockRenderer blocks = new XYBlockRenderer();
    blocks.setBlockWidth(cellSize[0]);
    blocks.setBlockHeight(cellSize[1]);
    blocks.setPaintScale(scale);
    blocks.setDefaultSeriesVisibleInLegend(false);
    XYPlot plot = new XYPlot(cells, axis(domain.isCircle() ? "ϕ (angle of w)" : "w", 0), axis("b", 1), blocks);
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    plot.setOutlineVisible(false);
    ParticleLayer particles = network == null ? null : new ParticleLayer(domain, network);
    if (particles != null) {
      plot.setDataset(1, particles.dataset);
      plot.setRenderer(1, particles.renderer);
      plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
    }
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, particles != null);
    chart.setBackgroundPaint(Color.WHITE);
    if (particles != null) {
      chart.addSubtitle(new TextTitle(String.format(Locale.ROOT, "N = %d particles, %s; %d outside Ω (not drawn)",
          network.width(), network.origin(), particles.outside)));
    }
    chart.addSubtitle(scale.bar("u*"));
    return chart;
  }

  private NumberAxis axis(String label, int index) {
    NumberAxis axis = new NumberAxis(label);
    axis.setRange(domain.lower()[index], domain.upper()[index]);
    return axis;
  }
}
