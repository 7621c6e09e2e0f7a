package org.varflow.runtime.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.DefaultXYDataset;
import org.varflow.api.problem.ParameterDomain;

/**
 * The particles of a network as two marker series over the heatmap, a_j &gt; 0 (dark red) and a_j ≤ 0 (dark
 * blue), at t_j = {@link ParameterDomain#coordinates}(θ_j); particles whose t_j lies outside the coordinate
 * box are counted, not drawn. Marker area ∝ |a_j|: diameter = D·√clamp(|a_j| / mean|a|, ¼, 4), D = 6 px.
 */
final class ParticleLayer {
  private static final double DIAMETER = 6;
  private static final Color[] PAINTS = {new Color(103, 0, 31), new Color(5, 48, 97)};
  private static final String[] NAMES = {"a_j > 0", "a_j ≤ 0"};

  final DefaultXYDataset dataset = new DefaultXYDataset();
  final Renderer renderer;
  final int outside;

  ParticleLayer(ParameterDomain domain, Network network) {
    int n = network.width();
    int k = network.weights().length / n;
    double meanAbs = 0;
    for (double a : network.a()) {
      meanAbs += Math.abs(a) / n;
    }
    double[] lower = domain.lower();
    double[] upper = domain.upper();
    List<List<double[]>> series = List.of(new ArrayList<>(), new ArrayList<>());
    int out = 0;
    for (int j = 0; j < n; j++) {
      double[] theta = new double[k];
      System.arraycopy(network.weights(), j * k, theta, 0, k);
      double[] t = domain.coordinates(theta);
      if (!(t[0] >= lower[0] && t[0] <= upper[0] && t[1] >= lower[1] && t[1] <= upper[1])) {
        out++;
        continue;
      }
      double a = network.a()[j];
      double ratio = meanAbs > 0 ? Math.max(0.25, Math.min(4, Math.abs(a) / meanAbs)) : 1;
      series.get(a > 0 ? 0 : 1).add(new double[] {t[0], t[1], DIAMETER * Math.sqrt(ratio)});
    }
    outside = out;
    double[][] diameters = new double[2][];
    for (int s = 0; s < 2; s++) {
      List<double[]> points = series.get(s);
      double[][] xy = new double[2][points.size()];
      diameters[s] = new double[points.size()];
      for (int i = 0; i < points.size(); i++) {
        xy[0][i] = points.get(i)[0];
        xy[1][i] = points.get(i)[1];
        diameters[s][i] = points.get(i)[2];
      }
      dataset.addSeries(NAMES[s], xy);
    }
    renderer = new Renderer(diameters);
  }

  /** Filled circles with a thin white outline, one diameter per item. */
  static final class Renderer extends XYLineAndShapeRenderer {
    private final double[][] diameters;

    Renderer(double[][] diameters) {
      super(false, true);
      this.diameters = diameters;
      setUseOutlinePaint(true);
      setDrawOutlines(true);
      setDefaultOutlinePaint(Color.WHITE);
      setDefaultOutlineStroke(new BasicStroke(0.5f));
      for (int s = 0; s < PAINTS.length; s++) {
        setSeriesPaint(s, PAINTS[s]);
        setSeriesShape(s, circle(DIAMETER));
      }
    }

    @Override
    public Shape getItemShape(int series, int item) {
      return circle(diameters[series][item]);
    }

    private static Shape circle(double diameter) {
      return new Ellipse2D.Double(-diameter / 2, -diameter / 2, diameter, diameter);
    }
  }
}
