package org.varflow.runtime.plot;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The history plot draws energy and both risks against time (positive values only) into a PNG of the plot size and
 * the same chart as SVG.
 */
class HistoryPlotTest {
  @TempDir
  Path tmp;

  @Test
  void drawsEveryPositiveSeriesAgainstTime() throws Exception {
    List<Map<String, Object>> history = new ArrayList<>();
    for (int k = 0; k <= 10; k++) {
      history.add(Map.of("step", (long) k, "time", 0.5 * k, "energy", Math.exp(-k), "train_risk", Math.exp(-k) / 2,
          "test_risk", k == 3 ? 0.0 : Math.exp(-k) / 3));
    }
    XYSeriesCollection data = (XYSeriesCollection) ((XYPlot) HistoryPlot.chart(history, "t").getPlot()).getDataset();
    assertThat(data.getSeriesCount()).isEqualTo(3);
    assertThat(data.getSeries(0).getKey()).isEqualTo("energy");
    assertThat(data.getSeries(0).getItemCount()).isEqualTo(11);
    assertThat(data.getSeries(2).getItemCount()).as("test risk without its zero").isEqualTo(10);
    assertThat(data.getSeries(1).getY(4).doubleValue()).isEqualTo(Math.exp(-4) / 2);
    assertThat(data.getSeries(1).getX(4).doubleValue()).isEqualTo(2.0);
    Path file = HistoryPlot.write(tmp.resolve("plots/history.png"), history, "t");
    BufferedImage image = ImageIO.read(file.toFile());
    assertThat(image.getWidth()).isEqualTo(Charts.WIDTH);
    assertThat(image.getHeight()).isEqualTo(Charts.HEIGHT);

    // the same chart as SVG beside it: a well-formed document of the plot's size naming each series in its legend
    DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
    xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false); // offline
    Element svg = xml.newDocumentBuilder().parse(tmp.resolve("plots/history.svg").toFile()).getDocumentElement();
    assertThat(svg.getTagName()).isEqualTo("svg");
    assertThat(Double.parseDouble(svg.getAttribute("width"))).isEqualTo(Charts.WIDTH);
    assertThat(Double.parseDouble(svg.getAttribute("height"))).isEqualTo(Charts.HEIGHT);
    NodeList texts = svg.getElementsByTagName("text");
    List<String> words = new ArrayList<>();
    for (int i = 0; i < texts.getLength(); i++) {
      words.add(texts.item(i).getTextContent());
    }
    assertThat(words).contains("energy", "train_risk", "test_risk", "time");
  }
}
