package org.varflow.runtime.study;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.varflow.runtime.plot.Charts;
import org.varflow.runtime.study.Study.Outcome;
import org.varflow.runtime.study.Study.Rate;

/**
 * A study's plots, one per fitted rate ({@code plots/METRIC-vs-KEY[,FIXED].png}): the metric of every completed run
 * (the seeds' spread) and its seed mean against the key on log–log axes, with the fitted line C·x^b, its slope and
 * interval in the legend.
 */
final class StudyPlots {
  private StudyPlots() {}

  /** @return the plots written, in the order of {@code rates} */
  static List<Path> write(Path dir, List<Rate> rates, List<Outcome> outcomes, String metric) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Rate rate : rates) {
      String fixed = rate.fixed().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining(","));
      String name = metric + "-vs-" + rate.key() + (fixed.isEmpty() ? "" : "," + fixed);
      files.add(Charts.png(dir.resolve(name + ".png"), chart(rate, outcomes, metric, fixed)).file());
    }
    return files;
  }

  /** @return the chart of one rate: runs, seed means, fitted line */
  static JFreeChart chart(Rate rate, List<Outcome> outcomes, String metric, String fixed) {
    XYSeries runs = new XYSeries("runs (each seed)");
    for (Outcome o : outcomes) {
      Map<String, Object> values = o.point().values();
      boolean inGroup = rate.fixed().entrySet().stream().allMatch(e -> e.getValue().equals(values.get(e.getKey())));
      if (inGroup && o.status().equals("completed") && o.last().get(metric) instanceof Number y && y.doubleValue() > 0
          && values.get(rate.key()) instanceof Number x) {
        runs.add(x.doubleValue(), y.doubleValue());
      }
    }
    XYSeries mean = new XYSeries("seed mean");
    for (int i = 0; i < rate.x().length; i++) {
      if (rate.mean()[i] > 0) {
        mean.add(rate.x()[i], rate.mean()[i]);
      }
    }
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(runs);
    data.addSeries(mean);
    if (rate.fit() != null) {
      LogLogFit fit = rate.fit();
      XYSeries line = new XYSeries(String.format(Locale.ROOT, "fit: slope %.3f%s", fit.slope(), Double.isNaN(fit.low())
          ? "" : String.format(Locale.ROOT, " (95%%: %.3f to %.3f)", fit.low(), fit.high())));
      for (double x : new double[] {rate.x()[0], rate.x()[rate.x().length - 1]}) {
        line.add(x, fit.at(x));
      }
      data.addSeries(line);
    }
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
    renderer.setSeriesLinesVisible(0, false);
    renderer.setSeriesShapesVisible(2, false);
    XYPlot plot = new XYPlot(data, new LogAxis(rate.key()), new LogAxis(metric), renderer);
    return new JFreeChart(metric + " against " + rate.key() + (fixed.isEmpty() ? "" : " (" + fixed + ")"),
        JFreeChart.DEFAULT_TITLE_FONT, plot, true);
  }
}
