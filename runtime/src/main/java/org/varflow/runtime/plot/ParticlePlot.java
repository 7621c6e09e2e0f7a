package org.varflow.runtime.plot;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.DefaultXYZDataset;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Particles;
import org.varflow.api.tensor.Tensor;

/**
 * A particle run's {@code plots/particles.png}: each particle θ_j = (a_j, w_j) drawn at its inner weights w_j
 * coloured by its outer weight a_j ({@link DivergingScale} on [−max|a|, max|a|], colour bar), for a cloud whose
 * inner weights have one or two coordinates: (w, b) with a bias, (w₁, w₂) without, or (w, a) for a single w.
 * The cloud is read from {@link DiscreteFlow#particles()}: its first position tensor is a (one number per
 * particle), its second the inner weights (one row per particle). Of a wider cloud every ⌈m/{@value #DRAWN}⌉-th
 * particle is drawn, so that the files stay small.
 */
public final class ParticlePlot {
  /** The most particles drawn. */
  static final int DRAWN = 5000;

  private ParticlePlot() {}

  /**
   * @param flow the run's flow, at its final state
   * @param bias whether the inner weights' last coordinate is a bias b
   * @return the plot written, or empty when the flow is not such a cloud (no particles, more coordinates)
   */
  public static Optional<Charts.Plot> write(Path file, DiscreteFlow flow, boolean bias, String title)
      throws IOException {
    Optional<Particles> particles = flow.particles();
    if (particles.isEmpty() || particles.get().positions().size() != 2) {
      return Optional.empty();
    }
    Map<String, Tensor> state = flow.state();
    Tensor a = state.get(particles.get().positions().get(0));
    Tensor w = state.get(particles.get().positions().get(1));
    int m = particles.get().count();
    if (a == null || w == null || a.cols() != 1 || a.rows() != m || w.rows() != m || w.cols() > 2) {
      return Optional.empty();
    }
    return Optional.of(Charts.png(file, chart(a.toDoubleArray(), w.toDoubleArray(), w.cols(), bias, title)));
  }

  /**
   * @param a a_j, length m
   * @param w w_j row-major, m × k with k ∈ {1, 2}
   * @return the scatter: x = w_j1, y = w_j2 (k = 2) or a_j (k = 1), colour = a_j
   */
  static JFreeChart chart(double[] a, double[] w, int k, boolean bias, String title) {
    int m = a.length;
    int stride = (m + DRAWN - 1) / DRAWN;
    int drawn = (m + stride - 1) / stride;
    double[][] xyz = new double[3][drawn];
    double bound = 0;
    for (int i = 0; i < drawn; i++) {
      int j = i * stride;
      xyz[0][i] = w[j * k];
      xyz[1][i] = k == 2 ? w[j * k + 1] : a[j];
      xyz[2][i] = a[j];
      bound = Math.max(bound, Math.abs(a[j]));
    }
    bound = bound > 0 && Double.isFinite(bound) ? bound : 1;
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("particles", xyz);
    DivergingScale scale = new DivergingScale(bound);
    XYShapeRenderer dots = new XYShapeRenderer();
    dots.setPaintScale(scale);
    dots.setDrawOutlines(true);
    dots.setDefaultOutlinePaint(Color.GRAY);
    List<String> labels = k == 1 ? List.of("w", "a") : bias ? List.of("w", "b") : List.of("w₁", "w₂");
    NumberAxis x = new NumberAxis(labels.get(0));
    NumberAxis y = new NumberAxis(labels.get(1));
    x.setAutoRangeIncludesZero(false);
    y.setAutoRangeIncludesZero(false);
    XYPlot plot = new XYPlot(data, x, y, dots);
    plot.setBackgroundPaint(new Color(235, 235, 235));
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
    chart.setBackgroundPaint(Color.WHITE);
    chart.addSubtitle(new TextTitle(String.format(Locale.ROOT, "m = %d particles at their inner weights, colour = a%s",
        m, stride == 1 ? "" : ", every " + stride + "th drawn")));
    chart.addSubtitle(scale.bar("a"));
    return chart;
  }
}
