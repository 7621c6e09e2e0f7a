package org.varflow.runtime.plot;

import java.awt.Color;
import java.awt.Paint;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;

/**
 * A diverging colour scale symmetric about 0 on [−m, m]: with s = clamp(v/m, −1, 1), the colour is
 * white + |s|·(end − white), end = red for s &gt; 0 and blue for s &lt; 0 (the end colours of ColorBrewer RdBu).
 */
final class DivergingScale implements PaintScale {
  static final Color RED = new Color(178, 24, 43);
  static final Color BLUE = new Color(33, 102, 172);

  private final double bound;

  /** @param bound m &gt; 0 */
  DivergingScale(double bound) {
    this.bound = bound;
  }

  @Override
  public double getLowerBound() {
    return -bound;
  }

  @Override
  public double getUpperBound() {
    return bound;
  }

  @Override
  public Paint getPaint(double value) {
    double s = Math.max(-1, Math.min(1, value / bound));
    Color end = s > 0 ? RED : BLUE;
    double t = Math.abs(s);
    return new Color(mix(end.getRed(), t), mix(end.getGreen(), t), mix(end.getBlue(), t));
  }

  /** @return the scale's colour bar on [−m, m], labelled, for a chart's right edge */
  PaintScaleLegend bar(String label) {
    NumberAxis values = new NumberAxis(label);
    values.setRange(-bound, bound);
    PaintScaleLegend bar = new PaintScaleLegend(this, values);
    bar.setPosition(RectangleEdge.RIGHT);
    bar.setSubdivisionCount(256);
    bar.setStripWidth(14);
    bar.setAxisOffset(4);
    bar.setMargin(24, 8, 24, 8);
    return bar;
  }

  /** @return 255 + t·(channel − 255), rounded */
  private static int mix(int channel, double t) {
    return (int) Math.round(255 + t * (channel - 255));
  }
}
