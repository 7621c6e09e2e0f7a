package org.varflow.runtime.study;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.varflow.api.io.AtomicFiles;
import org.varflow.runtime.study.Study.Axis;
import org.varflow.runtime.study.Study.Outcome;
import org.varflow.runtime.study.RateFit.Scale;
import org.varflow.runtime.study.Study.Rate;

/** The files a study writes from its outcomes: {@code study.csv} and the content of {@code rates.json}. */
final class StudyFiles {
  private StudyFiles() {}

  /**
   * One row per outcome: the varied keys, seed, status, every numeric field of the final records (but
   * {@code wall_ms}), {@code wall_s} and {@code error}; text fields quoted where they hold a comma, quote or line end.
   */
  static void writeTable(Path file, List<Axis> axes, List<Outcome> outcomes) throws IOException {
    Set<String> metrics = new LinkedHashSet<>();
    for (Outcome o : outcomes) {
      o.last().forEach((k, v) -> {
        if (v instanceof Number && !k.equals("wall_ms")) {
          metrics.add(k);
        }
      });
    }
    List<String> header = new ArrayList<>();
    axes.forEach(a -> header.add(a.key()));
    header.addAll(List.of("seed", "status"));
    header.addAll(metrics);
    header.addAll(List.of("wall_s", "error"));
    StringBuilder csv = new StringBuilder(String.join(",", header.stream().map(StudyFiles::cell).toList())).append('\n');
    for (Outcome o : outcomes) {
      List<String> row = new ArrayList<>();
      axes.forEach(a -> row.add(cell(String.valueOf(o.point().values().get(a.key())))));
      row.add(Long.toString(o.point().seed()));
      row.add(o.status());
      for (String m : metrics) {
        row.add(o.last().get(m) instanceof Number x ? number(x.doubleValue()) : "");
      }
      row.add(Double.isNaN(o.wallSeconds()) ? "" : String.format(Locale.ROOT, "%.3f", o.wallSeconds()));
      row.add(cell(o.error()));
      csv.append(String.join(",", row)).append('\n');
    }
    AtomicFiles.write(file, csv.toString());
  }

  /**
   * For each numeric axis and each combination of the other axes' values: the {@link RateFit} of the seed mean of
   * {@code metric} (over the completed runs) against the axis's values; with reference values (one per seed), of
   * |mean over the seeds of (metric − the seed's reference)|, leaving out the seeds without one.
   *
   * @param references each seed's reference value, or null for none
   */
  static List<Rate> rates(List<Axis> axes, List<Outcome> outcomes, String metric, Scale scale,
      Map<Long, Double> references) {
    List<Rate> rates = new ArrayList<>();
    for (Axis axis : axes) {
      if (!axis.numeric() || axis.values().size() < 2) {
        continue;
      }
      Map<Map<String, Object>, Map<Double, List<Double>>> groups = new LinkedHashMap<>();
      for (Outcome o : outcomes) {
        Double ref = references == null ? Double.valueOf(0) : references.get(o.point().seed());
        if (!o.status().equals("completed") || !(o.last().get(metric) instanceof Number y) || ref == null) {
          continue;
        }
        Map<String, Object> fixed = new LinkedHashMap<>(o.point().values());
        double x = ((Number) fixed.remove(axis.key())).doubleValue();
        groups.computeIfAbsent(fixed, f -> new LinkedHashMap<>()).computeIfAbsent(x, v -> new ArrayList<>())
            .add(y.doubleValue() - ref);
      }
      groups.forEach((fixed, byX) -> {
        double[] xs = byX.keySet().stream().mapToDouble(Double::doubleValue).toArray();
        double[] means = byX.values().stream().mapToDouble(ys -> ys.stream().mapToDouble(Double::doubleValue)
            .average().orElse(Double.NaN)).toArray();
        List<double[]> runs = new ArrayList<>();
        byX.forEach((x, ys) -> ys.forEach(y -> runs.add(new double[] {x, references == null ? y : Math.abs(y)})));
        if (references != null) {
          for (int i = 0; i < means.length; i++) {
            means[i] = Math.abs(means[i]);
          }
        }
        double[][] pairs = runs.toArray(double[][]::new);
        try {
          rates.add(new Rate(axis.key(), fixed, xs, means, pairs, RateFit.of(scale, xs, means), ""));
        } catch (IllegalArgumentException e) {
          rates.add(new Rate(axis.key(), fixed, xs, means, pairs, null, e.getMessage()));
        }
      });
    }
    return rates;
  }

  /**
   * @return {@code {metric, fit, quantity, reference (with one), rates: [{key, fixed, points, slope, interval: [low,
   *     high] or null, r2, x, mean}]}}; {@code mean} is the quantity fitted
   */
  static Map<String, Object> ratesJson(String metric, String quantity, Scale scale,
      Optional<Map<String, Object>> reference, List<Rate> rates) {
    List<Object> out = new ArrayList<>();
    for (Rate r : rates) {
      Map<String, Object> rate = new LinkedHashMap<>();
      rate.put("key", r.key());
      rate.put("fixed", r.fixed());
      if (r.fit() != null) {
        rate.put("points", r.fit().points());
        rate.put("slope", r.fit().slope());
        rate.put("interval", Double.isNaN(r.fit().low()) ? null : List.of(r.fit().low(), r.fit().high()));
        rate.put("r2", r.fit().r2());
      } else {
        rate.put("error", r.error());
      }
      rate.put("x", r.x());
      rate.put("mean", r.mean());
      out.add(rate);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("metric", metric);
    json.put("fit", scale.id());
    json.put("quantity", quantity);
    reference.ifPresent(r -> json.put("reference", r));
    json.put("rates", out);
    return json;
  }

  /** @return x in full precision, an integral value (a step) without a fraction, empty when not finite (as history.csv) */
  private static String number(double x) {
    if (!Double.isFinite(x)) {
      return "";
    }
    return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
  }

  /** @return {@code text} as a CSV cell: quoted, with quotes doubled, when it holds a comma, quote or line end */
  private static String cell(String text) {
    return text.matches("(?s).*[,\"\\n\\r].*") ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
  }
}
