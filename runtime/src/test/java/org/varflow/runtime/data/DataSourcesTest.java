package org.varflow.runtime.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varflow.api.SpecException;
import org.varflow.api.io.Npy;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.tensor.Precision;
import org.varflow.runtime.Run;
import org.varflow.runtime.Spec;
import org.varflow.runtime.Varflow;

/** The data sources the README documents, through the public runtime: files, CSV, the generators and data.split. */
class DataSourcesTest {
  private static final Varflow VARFLOW = Varflow.load(null);

  @TempDir
  Path tmp;

  /** The train and test data of a spec with this {@code data} node (a small particle problem around it). */
  private VariationalProblem problem(Map<String, Object> data, long seed) {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("seed", seed);
    tree.put("backend", "jvm");
    tree.put("data", data);
    tree.put("discretization", Map.of("width", 2));
    try (Run run = VARFLOW.prepare(Spec.of("data", tree, tmp))) {
      return run.problem();
    }
  }

  private static Map<String, Object> generator(String name, int n, int d, Object... more) {
    Map<String, Object> node = new LinkedHashMap<>(Map.of("generator", name, "n", n, "d", d));
    for (int i = 0; i < more.length; i += 2) {
      node.put((String) more[i], more[i + 1]);
    }
    return node;
  }

  /** @return the rows of a dataset as "x…|y" strings, for comparing them as sets */
  private static List<String> rows(Dataset data) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < data.n(); i++) {
      StringBuilder row = new StringBuilder();
      for (int k = 0; k < data.d(); k++) {
        row.append(data.x()[i * data.d() + k]).append(',');
      }
      out.add(row.append('|').append(data.y()[i]).toString());
    }
    return out;
  }

  /** data.split: 0.25 of 40 rows, chosen by the seed, and the two parts are exactly the rows of data.train. */
  @Test
  void splitHoldsOutAShuffledFractionOfTheTrainingRows() throws Exception {
    double[] x = new double[40 * 2];
    double[] y = new double[40];
    for (int i = 0; i < 40; i++) {
      x[2 * i] = i;
      x[2 * i + 1] = -i;
      y[i] = i * i;
    }
    Npy.write(tmp.resolve("X.npy"), x, new int[] {40, 2}, Precision.FLOAT64);
    Npy.write(tmp.resolve("y.npy"), y, new int[] {40}, Precision.FLOAT64);
    Map<String, Object> files = Map.of("x", "X.npy", "y", "y.npy");
    VariationalProblem whole = problem(Map.of("train", files), 1);
    assertThat(whole.test()).isNull();
    VariationalProblem split = problem(Map.of("train", files, "split", 0.25), 1);
    assertThat(split.train().n()).isEqualTo(30);
    assertThat(split.test().n()).isEqualTo(10);
    List<String> both = new ArrayList<>(rows(split.train()));
    both.addAll(rows(split.test()));
    assertThat(both).containsExactlyInAnyOrderElementsOf(rows(whole.train()));
    assertThat(rows(problem(Map.of("train", files, "split", 0.25), 1).test())).isEqualTo(rows(split.test()));
    assertThat(rows(problem(Map.of("train", files, "split", 0.25), 2).test())).isNotEqualTo(rows(split.test()));
  }

  @Test
  void splitIsEitherOrWithTestAndLeavesBothPartsNonEmpty() {
    Map<String, Object> train = generator("sines", 20, 1);
    assertThatThrownBy(() -> problem(Map.of("train", train, "test", train, "split", 0.5), 1))
        .isInstanceOf(SpecException.class).hasMessage("data.split: give either data.test or data.split, not both");
    assertThatThrownBy(() -> problem(Map.of("train", train, "split", 0.99), 1))
        .isInstanceOf(SpecException.class)
        .hasMessage("data.split: must be a fraction in (0, 1) leaving both parts non-empty, got 0.99");
  }

  /** A header with a quoted name, the target in the middle, spaces, CRLF line ends and a trailing blank line. */
  @Test
  void csvTakesTheTargetColumnByNameAndTheRestAsInputs() throws Exception {
    Files.writeString(tmp.resolve("d.csv"), "a,\"y value\", b\r\n1.5,10,-2\r\n 3 , 20 ,4e-1\r\n\r\n");
    Dataset train = problem(Map.of("train", Map.of("csv", "d.csv", "target", "y value")), 1).train();
    assertThat(train.n()).isEqualTo(2);
    assertThat(train.d()).isEqualTo(2);
    assertThat(train.x()).containsExactly(1.5, -2, 3, 0.4);
    assertThat(train.y()).containsExactly(10, 20);
  }

  /**
   * E|x|² = s²d for every input law: the sample mean of |x|² over n = 20000 points is within 5 standard errors
   * (Gaussian: |x|²/s² ~ χ²_d, variance 2d s⁴; box: d·(9/5 − 1)s⁴); on the sphere |x|² = s²d exactly, in the
   * box |x_k| ≤ s√3.
   */
  @ParameterizedTest
  @ValueSource(strings = {"gaussian", "sphere", "box"})
  void inputsHaveTheDocumentedSecondMoment(String inputs) {
    int n = 20000;
    int d = 4;
    double s = 0.7;
    Dataset train = problem(Map.of("train", generator("sines", n, d, "inputs", inputs, "input_scale", s)), 3).train();
    double[] norms = new double[n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        double v = train.x()[i * d + k];
        norms[i] += v * v;
        if (inputs.equals("box")) {
          assertThat(Math.abs(v)).isLessThanOrEqualTo(s * Math.sqrt(3));
        }
      }
    }
    double mean = Arrays.stream(norms).average().orElseThrow();
    double variance = switch (inputs) {
      case "gaussian" -> 2.0 * d;
      case "box" -> d * (9.0 / 5 - 1);
      default -> 0;
    } * Math.pow(s, 4);
    assertThat(mean).isCloseTo(s * s * d, offset(5 * Math.sqrt(variance / n) + 1e-12));
    if (inputs.equals("sphere")) {
      for (double r : norms) {
        assertThat(r).isCloseTo(s * s * d, offset(1e-12));
      }
    }
  }

  /**
   * The teacher f*(x) = Σ_t a_t ReLU(w_t·x)/√k is positively 1-homogeneous: with the same seeds, doubling
   * input_scale doubles x and y exactly (noise 0).
   */
  @Test
  void teacherLabelsScaleWithTheInputs() {
    Dataset one = problem(Map.of("train", generator("teacher", 200, 5, "k", 7)), 4).train();
    Dataset two = problem(Map.of("train", generator("teacher", 200, 5, "k", 7, "input_scale", 2.0)), 4).train();
    for (int i = 0; i < one.x().length; i++) {
      assertThat(two.x()[i]).isEqualTo(2 * one.x()[i]);
    }
    for (int i = 0; i < one.n(); i++) {
      assertThat(two.y()[i]).isEqualTo(2 * one.y()[i]);
    }
    assertThat(Arrays.stream(one.y()).filter(v -> v != 0).count()).as("labels the ReLU teacher does not zero").isPositive();
  }

  /** noise σ adds N(0, σ²) to the labels: over 20000 points the differences have mean ≈ 0 and std ≈ σ (5 SE). */
  @Test
  void noiseAddsGaussianLabelNoiseOfTheGivenStd() {
    int n = 20000;
    double sigma = 0.3;
    Dataset clean = problem(Map.of("train", generator("teacher", n, 3)), 5).train();
    Dataset noisy = problem(Map.of("train", generator("teacher", n, 3, "noise", sigma)), 5).train();
    assertThat(noisy.x()).isEqualTo(clean.x());
    double sum = 0;
    double squares = 0;
    for (int i = 0; i < n; i++) {
      double e = noisy.y()[i] - clean.y()[i];
      sum += e;
      squares += e * e;
    }
    double mean = sum / n;
    double std = Math.sqrt(squares / n - mean * mean);
    assertThat(mean).isCloseTo(0, offset(5 * sigma / Math.sqrt(n)));
    assertThat(std).isCloseTo(sigma, offset(5 * sigma / Math.sqrt(2.0 * n)));
  }

  /**
   * For d = 1, sines is f*(x) = ±sin(ωx) + cos(ωx) (p = ±1): train and test share the sign (one target function,
   * drawn from the run seed), runs with different seeds but one function_seed share it too, and some function
   * seed draws the other sign.
   */
  @Test
  void trainAndTestShareTheTargetFunctionDrawnFromFunctionSeed() {
    double omega = 1.7;
    VariationalProblem p = problem(Map.of("train", generator("sines", 50, 1, "frequency", omega),
        "test", generator("sines", 50, 1, "frequency", omega)), 6);
    int sign = sign(p.train(), omega);
    assertThat(sign(p.test(), omega)).isEqualTo(sign);
    assertThat(p.test().x()).isNotEqualTo(p.train().x());
    Map<String, Object> fixed = generator("sines", 50, 1, "frequency", omega, "function_seed", 11);
    int shared = sign(problem(Map.of("train", fixed), 1).train(), omega);
    assertThat(sign(problem(Map.of("train", fixed), 2).train(), omega)).isEqualTo(shared);
    boolean other = false;
    for (long f = 12; f < 40 && !other; f++) {
      other = sign(problem(Map.of("train", generator("sines", 50, 1, "frequency", omega, "function_seed", f)), 1)
          .train(), omega) != shared;
    }
    assertThat(other).as("a function seed that flips p").isTrue();
  }

  /** @return s with y = s·sin(ωx) + cos(ωx) at every point (to 1e-12), which the test asserts */
  private static int sign(Dataset data, double omega) {
    int s = data.y()[0] - Math.cos(omega * data.x()[0]) > 0 == Math.sin(omega * data.x()[0]) > 0 ? 1 : -1;
    for (int i = 0; i < data.n(); i++) {
      double x = data.x()[i];
      assertThat(data.y()[i]).isCloseTo(s * Math.sin(omega * x) + Math.cos(omega * x), offset(1e-12));
    }
    return s;
  }
}
