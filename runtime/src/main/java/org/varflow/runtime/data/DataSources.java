package org.varflow.runtime.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.varflow.api.Options;
import org.varflow.api.SpecException;
import org.varflow.api.io.Npy;
import org.varflow.api.problem.Dataset;

/**
 * Builds the train and test measures from the {@code data} node of a spec. Each of {@code data.train}
 * and {@code data.test} is one of {@code {x: X.npy, y: y.npy}}, {@code {csv: FILE, target: COLUMN}} or
 * {@code {generator: NAME, n: N, d: D, ...}}; without {@code data.test}, {@code data.split: FRACTION}
 * holds out that fraction of the (shuffled) training rows as the test set.
 */
public final class DataSources {
  private DataSources() {}

  /**
   * The training and (optional, may be null) test data.
   *
   * @param train training data
   * @param test held-out data or null
   */
  public record Split(Dataset train, Dataset test) {}

  /**
   * @param root the spec's tree (file paths already absolute)
   * @param seed the run seed: generators draw train samples, test samples and functions from it
   * @return the data, validated (finite, consistent dimensions)
   * @throws SpecException naming the key or file (and line) of the problem
   */
  public static Split load(Options root, long seed) {
    Options data = root.sub("data").orElseThrow();
    Options trainNode = data.sub("train").orElseThrow();
    Dataset train = load(trainNode, seed, 1);
    if (data.has("test") && data.has("split")) {
      throw new SpecException("data.split", "give either data.test or data.split, not both");
    }
    if (data.has("test")) {
      Dataset test = load(data.sub("test").orElseThrow(), seed, 2);
      if (test.d() != train.d()) {
        throw new SpecException("data.test", "has d = " + test.d() + " inputs but data.train has d = " + train.d());
      }
      return new Split(train, test);
    }
    if (data.has("split")) {
      double fraction = data.getDouble("split");
      int nTest = (int) Math.round(fraction * train.n());
      if (!(fraction > 0 && fraction < 1) || nTest < 1 || nTest >= train.n()) {
        throw new SpecException("data.split", "must be a fraction in (0, 1) leaving both parts non-empty, got " + fraction);
      }
      Dataset shuffled = shuffle(train, new SplittableRandom(seed).split().nextLong());
      int nTrain = train.n() - nTest;
      return new Split(shuffled.rows(0, nTrain, train.name() + " [train part]"),
          shuffled.rows(nTrain, train.n(), train.name() + " [test part]"));
    }
    return new Split(train, null);
  }

  /** Reads one source node, checked and completed by {@link org.varflow.app.spec.SpecSchema}: arrays, CSV or a generator. */
  private static Dataset load(Options node, long seed, int role) {
    if (node.has("generator")) {
      return Generators.generate(node, seed, role);
    }
    if (node.has("csv")) {
      return readCsv(Path.of(node.getString("csv")), node.getString("target"));
    }
    return readNpy(Path.of(node.getString("x")), Path.of(node.getString("y")));
  }

  /** Reads X (n, d) or (n) and y (n) or (n, 1) from .npy files; every value must be finite. */
  static Dataset readNpy(Path xFile, Path yFile) {
    Npy.Array x = Npy.readFinite(xFile);
    Npy.Array y = Npy.readFinite(yFile);
    if (x.shape().length < 1 || x.shape().length > 2) {
      throw new SpecException(xFile.toString(), "expected shape (n, d) or (n), got " + Arrays.toString(x.shape()));
    }
    int n = x.shape()[0];
    int d = x.shape().length == 2 ? x.shape()[1] : 1;
    if (n == 0 || d == 0) {
      throw new SpecException(xFile.toString(), "has shape " + Arrays.toString(x.shape()) + "; data need at least one"
          + " point and one input column");
    }
    boolean yOk = (y.shape().length == 1 && y.shape()[0] == n) || (y.shape().length == 2 && y.shape()[0] == n && y.shape()[1] == 1);
    if (!yOk) {
      throw new SpecException(yFile.toString(), "expected shape (" + n + ") to match " + xFile.getFileName()
          + ", got " + Arrays.toString(y.shape()));
    }
    return new Dataset(xFile.getFileName().toString(), n, d, x.data(), y.data());
  }

  /** Reads a CSV with a header row; {@code target} names the label column, all other columns are inputs. */
  static Dataset readCsv(Path file, String target) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw SpecException.unreadable(file, e);
    }
    if (lines.isEmpty()) {
      throw new SpecException(file.toString(), "is empty; expected a header row");
    }
    String[] header = split(lines.get(0));
    for (int c = 1; c < header.length; c++) {
      int first = Arrays.asList(header).subList(0, c).indexOf(header[c]);
      if (first >= 0) {
        throw new SpecException(file + ":1", "column '" + header[c] + "' appears twice in the header (columns "
            + (first + 1) + " and " + (c + 1) + "); column names must be unique");
      }
    }
    int targetCol = Arrays.asList(header).indexOf(target);
    if (targetCol < 0) {
      throw new SpecException(file + ":1", "no column '" + target + "' in header " + String.join(",", header));
    }
    int d = header.length - 1;
    if (d == 0) {
      throw new SpecException(file + ":1", "has no input columns besides '" + target + "'");
    }
    List<double[]> rows = new ArrayList<>();
    for (int line = 2; line <= lines.size(); line++) {
      String text = lines.get(line - 1);
      if (text.isBlank()) {
        continue;
      }
      String[] cells = split(text);
      if (cells.length != header.length) {
        throw new SpecException(file + ":" + line, "has " + cells.length + " fields, the header has " + header.length);
      }
      double[] row = new double[header.length];
      for (int c = 0; c < cells.length; c++) {
        try {
          row[c] = Double.parseDouble(cells[c]);
        } catch (NumberFormatException e) {
          throw new SpecException(file + ":" + line, "column '" + header[c] + "': '" + cells[c] + "' is not a number");
        }
        if (!Double.isFinite(row[c])) {
          throw new SpecException(file + ":" + line, "column '" + header[c] + "' is " + cells[c] + "; data must be finite");
        }
      }
      rows.add(row);
    }
    if (rows.isEmpty()) {
      throw new SpecException(file.toString(), "has a header but no data rows");
    }
    int n = rows.size();
    double[] x = new double[n * d];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double[] row = rows.get(i);
      for (int c = 0, k = 0; c < row.length; c++) {
        if (c == targetCol) {
          y[i] = row[c];
        } else {
          x[i * d + k++] = row[c];
        }
      }
    }
    return new Dataset(file.getFileName().toString(), n, d, x, y);
  }

  private static String[] split(String line) {
    String[] cells = line.split(",", -1);
    for (int i = 0; i < cells.length; i++) {
      cells[i] = cells[i].trim().replaceAll("^\"|\"$", "");
    }
    return cells;
  }

  /** Fisher–Yates shuffle of the rows. */
  private static Dataset shuffle(Dataset data, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int[] order = new int[data.n()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    for (int i = order.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    double[] x = new double[data.x().length];
    double[] y = new double[data.n()];
    for (int i = 0; i < order.length; i++) {
      System.arraycopy(data.x(), order[i] * data.d(), x, i * data.d(), data.d());
      y[i] = data.y()[order[i]];
    }
    return new Dataset(data.name(), data.n(), data.d(), x, y);
  }
}
