package org.varflow.runtime.study;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.varflow.runtime.plot.Charts;
import org.varflow.runtime.study.RateFit.Scale;
import org.varflow.runtime.study.Study.Rate;

/**
 * A study's plots, one per fitted rate ({@code plots/METRIC-vs-KEY[,FIXED].png}): the fitted quantity (the metric, or
 * its distance to the reference) of every completed run (the seeds' spread) and its seed mean against the key on
 * log–log or semi-log axes, with the fitted line, its slope and interval in the legend.
 */
final class StudyPlots {
  private StudyPlots() {}

  /**
   * @param metric the study's metric, which names the files
   * @param quantity what is fitted, e.g. {@code test_risk} or {@code |test_risk - reference|}: the y axis's label
   * @return the plots written, in the order of {@code rates}
   */
  static List<Path> write(Path dir, List<Rate> rates, String metric, String quantity, Scale scale) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Rate rate : rates) {
      String fixed = rate.fixed().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining(","));
      String name = metric + "-vs-" + rate.key() + (fixed.isEmpty() ? "" : "," + fixed);
      files.add(Charts.png(dir.resolve(name + ".png"), chart(rate, quantity, fixed, scale)).file());
    }
    return files;
  }

  /** @return the chart of one rate: runs, seed means, fitted line */
  static JFreeChart chart(Rate rate, String quantity, String fixed, Scale scale) {
    XYSeries runs = new XYSeries("runs (each seed)");
    for (double[] run : rate.runs()) {
      if (run[1] > 0) {
        runs.add(run[0], run[1]);
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
      RateFit fit = rate.fit();
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
    ValueAxis x = scale == Scale.LOG_LOG ? new LogAxis(rate.key()) : new NumberAxis(rate.key());
    XYPlot plot = new XYPlot(data, x, new LogAxis(quantity), renderer);
    return new JFreeChart(quantity + " against " + rate.key() + (fixed.isEmpty() ? "" : " (" + fixed + ")"),
        JFreeChart.DEFAULT_TITLE_FONT, plot, true);
  }
}
