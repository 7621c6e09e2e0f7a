package org.varflow.runtime.plot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** A run's {@code plots/history.png}: energy, train and test risk against time, on a logarithmic value axis. */
public final class HistoryPlot {
  /** The columns drawn, each as one series where the history has positive finite values of it. */
  static final List<String> SERIES = List.of("energy", "train_risk", "test_risk");
  /** Up to this many records a series marks each of them. */
  static final int MARKED_RECORDS = 100;

  private HistoryPlot() {}

  /**
   * @param history the run's records (columns {@code time} and those of {@link #SERIES})
   * @param title the plot's title
   * @return the file written
   */
  public static Path write(Path file, List<Map<String, Object>> history, String title) throws IOException {
    return Charts.png(file, chart(history, title)).file();
  }

  /** @return the chart: one line per column of {@link #SERIES} with a positive finite value, against time */
  static JFreeChart chart(List<Map<String, Object>> history, String title) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (String key : SERIES) {
      XYSeries series = new XYSeries(key);
      for (Map<String, Object> row : history) {
        if (row.get("time") instanceof Number t && row.get(key) instanceof Number v && v.doubleValue() > 0
            && Double.isFinite(v.doubleValue())) {
          series.add(t.doubleValue(), v.doubleValue());
        }
      }
      if (!series.isEmpty()) {
        data.addSeries(series);
      }
    }
    LogAxis values = new LogAxis("value (log scale)");
    values.setAutoRange(true);
    // each series one path (one SVG element, not one per segment); a marker per record only for a short history
    int longest = 0;
    for (int i = 0; i < data.getSeriesCount(); i++) {
      longest = Math.max(longest, data.getItemCount(i));
    }
    XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, longest <= MARKED_RECORDS);
    lines.setDrawSeriesLineAsPath(true);
    XYPlot plot = new XYPlot(data, new NumberAxis("time"), values, lines);
    return new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
  }
}
