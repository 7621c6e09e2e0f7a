package org.varflow.runtime.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.varflow.api.SpecException;
import org.varflow.api.io.AtomicFiles;

/**
 * {@code report.html} of a run directory or a study directory: one self-contained page (every plot embedded as a
 * {@code data:} URI, no script, no link outside the page) that opens offline. A run's page has its spec, its summary
 * (status, steps, initial and final records) and its plots; a study's has its rates (slope, 95% interval, R²), the
 * table of its runs and its plots.
 */
public final class Report {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Report() {}

  /**
   * @param dir a run directory (with {@code summary.json}) or a study directory (with {@code study.csv})
   * @return the report written, {@code dir/report.html}
   * @throws SpecException naming {@code dir} when it is neither
   * @throws IOException if a file cannot be read or the report written
   */
  public static Path write(Path dir) throws IOException {
    StringBuilder html = new StringBuilder();
    if (Files.isRegularFile(dir.resolve("study.csv"))) {
      study(dir, html);
    } else if (Files.isRegularFile(dir.resolve("summary.json"))) {
      run(dir, html);
    } else {
      throw new SpecException(dir.toString(), "is neither a run directory (summary.json) nor a study directory"
          + " (study.csv)");
    }
    Path file = dir.resolve("report.html");
    AtomicFiles.write(file, page(dir.getFileName() == null ? dir.toString() : dir.getFileName().toString(),
        html.toString()));
    return file;
  }

  /** A run: spec, summary, plots. */
  private static void run(Path dir, StringBuilder html) throws IOException {
    JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
    html.append("<h1>Run ").append(escape(dir.getFileName().toString())).append("</h1>\n");
    html.append("<p>status <b>").append(escape(summary.path("status").asText())).append("</b>, ")
        .append(summary.path("steps").asLong()).append(" steps, backend ")
        .append(escape(summary.path("backend").path("id").asText())).append(", ")
        .append(escape(summary.path("precision").asText())).append(", seed ").append(summary.path("seed").asLong())
        .append("</p>\n");
    List<String> keys = new ArrayList<>();
    summary.path("final").fieldNames().forEachRemaining(keys::add);
    List<List<String>> rows = new ArrayList<>();
    for (String key : keys) {
      rows.add(List.of(key, number(summary.path("initial").path(key)), number(summary.path("final").path(key))));
    }
    table(html, List.of("", "start", "end"), rows);
    html.append("<h2>Plots</h2>\n");
    plots(dir.resolve("plots"), html);
    html.append("<h2>Spec</h2>\n<pre>").append(escape(Files.readString(dir.resolve("spec.yaml")))).append("</pre>\n");
  }

  /** A study: rates, runs, plots. */
  private static void study(Path dir, StringBuilder html) throws IOException {
    html.append("<h1>Study ").append(escape(dir.getFileName().toString())).append("</h1>\n");
    Path ratesFile = dir.resolve("rates.json");
    if (Files.isRegularFile(ratesFile)) {
      JsonNode rates = JSON.readTree(ratesFile.toFile());
      String quantity = rates.path("quantity").asText(rates.path("metric").asText());
      boolean semilog = rates.path("fit").asText().equals("semilog");
      html.append("<h2>Rates of ").append(escape(quantity)).append("</h2>\n<p>")
          .append(semilog ? "slope of log(" + escape(quantity) + ") against the key: −rate of an exponential"
              : "slope of log(" + escape(quantity) + ") against log(key): the exponent of a power law");
      JsonNode reference = rates.path("reference");
      if (reference.isObject()) {
        html.append("; the reference is the spec with ").append(escape(reference.path("set").toString()))
            .append(", its ").append(escape(reference.path("metric").asText())).append(" per seed ")
            .append(escape(reference.path("values").toString()));
      }
      html.append("</p>\n");
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode r : rates.path("rates")) {
        JsonNode interval = r.path("interval");
        rows.add(List.of(r.path("key").asText(), r.path("fixed").toString(),
            r.has("slope") ? number(r.path("slope")) : escape(r.path("error").asText()),
            interval.isArray() ? number(interval.get(0)) + " to " + number(interval.get(1)) : "—",
            r.has("r2") ? number(r.path("r2")) : "—", Integer.toString(r.path("x").size())));
      }
      table(html, List.of("key", "other keys", "slope", "95% interval", "R²", "points"), rows);
    }
    List<String> lines = Files.readAllLines(dir.resolve("study.csv"));
    html.append("<h2>Runs</h2>\n");
    List<List<String>> rows = new ArrayList<>();
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      rows.add(cells(line));
    }
    table(html, lines.isEmpty() ? List.of() : cells(lines.get(0)), rows);
    html.append("<h2>Plots</h2>\n");
    plots(dir.resolve("plots"), html);
  }

  /** Every PNG of {@code plots}, in name order, embedded. */
  private static void plots(Path plots, StringBuilder html) throws IOException {
    if (!Files.isDirectory(plots)) {
      html.append("<p>none</p>\n");
      return;
    }
    try (Stream<Path> files = Files.list(plots)) {
      for (Path png : files.filter(p -> p.toString().endsWith(".png")).sorted().toList()) {
        html.append("<figure><img alt=\"").append(escape(png.getFileName().toString()))
            .append("\" src=\"data:image/png;base64,")
            .append(Base64.getEncoder().encodeToString(Files.readAllBytes(png))).append("\"><figcaption>")
            .append(escape(png.getFileName().toString())).append("</figcaption></figure>\n");
      }
    }
  }

  private static void table(StringBuilder html, List<String> header, List<List<String>> rows) {
    html.append("<table>\n<tr>");
    header.forEach(h -> html.append("<th>").append(escape(h)).append("</th>"));
    html.append("</tr>\n");
    for (List<String> row : rows) {
      html.append("<tr>");
      row.forEach(c -> html.append("<td>").append(c).append("</td>"));
      html.append("</tr>\n");
    }
    html.append("</table>\n");
  }

  /** @return the cells of a CSV line (quoted cells with doubled quotes allowed), each escaped for HTML */
  static List<String> cells(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted && ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
        cell.append('"');
        i++;
      } else if (ch == '"') {
        quoted = !quoted;
      } else if (ch == ',' && !quoted) {
        out.add(escape(cell.toString()));
        cell.setLength(0);
      } else {
        cell.append(ch);
      }
    }
    out.add(escape(cell.toString()));
    return out;
  }

  private static String number(JsonNode n) {
    return n.isNumber() ? String.format(Locale.ROOT, "%.6g", n.asDouble()) : n.isNull() || n.isMissingNode() ? "—"
        : escape(n.asText());
  }

  /** @return {@code text} with &amp;, &lt;, &gt; and &quot; escaped */
  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static String page(String title, String body) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>varflow report: " + escape(title)
        + "</title>\n<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}table{border-collapse:collapse}"
        + "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}img{max-width:100%}pre{background:#f6f6f6;"
        + "padding:1em}</style></head>\n<body>\n" + body + "</body></html>\n";
  }
}
