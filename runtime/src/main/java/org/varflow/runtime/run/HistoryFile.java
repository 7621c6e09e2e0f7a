package org.varflow.runtime.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cells of {@code history.csv}: {@code step} a whole number, every other column a number, empty for one that is
 * not finite (NaN, the t = ∞ of a stationary solve).
 */
final class HistoryFile {
  private HistoryFile() {}

  /** @return a cell: empty for a number that is not finite */
  static String format(Object v) {
    if (v instanceof Double d) {
      return Double.isFinite(d) ? Double.toString(d) : "";
    }
    return String.valueOf(v);
  }

  /**
   * @param columns the header's column names
   * @return the row of one line as recorded (step a long, the rest doubles, empty cells NaN), or null when the line
   *     is not a whole row
   */
  static Map<String, Object> row(String[] columns, String line) {
    String[] cells = line.split(",", -1);
    if (cells.length != columns.length || columns.length == 0 || !columns[0].equals("step")) {
      return null;
    }
    Map<String, Object> row = new LinkedHashMap<>();
    try {
      row.put(columns[0], Long.parseLong(cells[0]));
      for (int c = 1; c < cells.length; c++) {
        row.put(columns[c], cells[c].isEmpty() ? Double.NaN : Double.parseDouble(cells[c]));
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return row;
  }

  /** @return every whole row of {@code file}, first to last; none when it does not exist */
  static List<Map<String, Object>> read(Path file) {
    return sample(file, Integer.MAX_VALUE / 2);
  }

  /**
   * Reads {@code file} in one pass, keeping at most 2·{@code most} rows: rows 0, k, 2k, … for the least power of two k
   * that keeps that bound (the kept rows are halved whenever they exceed it), and the last row; so a plot of a run of
   * millions of records takes no more memory than one of a thousand.
   *
   * @return the rows kept, first to last; none when the file does not exist
   */
  static List<Map<String, Object>> sample(Path file, int most) {
    List<Map<String, Object>> rows = new ArrayList<>();
    if (!Files.exists(file)) {
      return rows;
    }
    long stride = 1;
    Map<String, Object> last = null;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = in.readLine();
      String[] columns = header == null ? new String[0] : header.split(",", -1);
      long index = 0;
      for (String line; (line = in.readLine()) != null; index++) {
        Map<String, Object> row = row(columns, line);
        if (row == null) {
          break;
        }
        last = row;
        if (index % stride == 0) {
          rows.add(row);
          if (rows.size() > 2 * most) { // keep rows 0, 2k, 4k, …
            List<Map<String, Object>> halved = new ArrayList<>();
            for (int i = 0; i < rows.size(); i += 2) {
              halved.add(rows.get(i));
            }
            rows = halved;
            stride *= 2;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    if (last != null && rows.get(rows.size() - 1) != last) {
      rows.add(last);
    }
    return rows;
  }
}
