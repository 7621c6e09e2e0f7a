package org.varflow.backend.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.varflow.backend.conformance.Reference.assertExactly;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;

/** {@link org.varflow.api.tensor.TensorFactory} on every backend and precision. */
class TensorFactoryConformanceTest {

  /** Row-major elements, rounded to the precision, in the given shape; rank 1 acts as a column. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void ofRoundsToPrecisionAndKeepsShape(Target t) {
    double[] data = {0.1, -2.5, 1e-3, 3.0, Math.PI, -1.0 / 3};
    double[] rounded = t.precision() == Precision.FLOAT64 ? data : Reference.map(data, x -> (float) x);
    Tensor m = t.of(data, 2, 3);
    assertEquals(t.precision(), m.precision());
    assertExactly("of 2×3", rounded, new int[] {2, 3}, m);
    assertEquals(2, m.rows());
    assertEquals(3, m.cols());
    assertEquals(6, m.size());
    Tensor v = t.of(data, 6);
    assertExactly("of [6]", rounded, new int[] {6}, v);
    assertEquals(6, v.rows());
    assertEquals(1, v.cols());
    int[] shape = v.shape();
    shape[0] = 99;
    assertArrayEquals(new int[] {6}, v.shape(), "shape() returns a copy");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void ofFloatsIsFloat32(Target t) {
    float[] data = {0.1f, -2.5f, 7f};
    Tensor v = t.f().of(data, 3, 1);
    assertEquals(Precision.FLOAT32, v.precision());
    assertArrayEquals(data, v.toFloatArray());
    assertExactly("of(float[])", new double[] {0.1f, -2.5f, 7f}, new int[] {3, 1}, v);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void badShapesAreRejected(Target t) {
    assertThrows(IllegalArgumentException.class, () -> t.of(new double[5], 2, 3), "length ≠ product of shape");
    assertThrows(IllegalArgumentException.class, () -> t.of(new double[8], 2, 2, 2), "rank 3");
    assertThrows(IllegalArgumentException.class, () -> t.of(new double[0]), "rank 0");
    assertThrows(IllegalArgumentException.class, () -> t.f().zeros(t.precision(), -1, 2), "negative extent");
    assertThrows(IllegalArgumentException.class, () -> t.f().of(new float[3], 2, 2), "float length");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void zeros(Target t) {
    assertExactly("zeros 4×3", new double[12], new int[] {4, 3}, t.f().zeros(t.precision(), 4, 3));
    assertExactly("zeros [5]", new double[5], new int[] {5}, t.f().zeros(t.precision(), 5));
    assertEquals(t.precision(), t.f().zeros(t.precision(), 1, 1).precision());
  }

  /** Seeded fills are the documented {@link SplittableRandom} sequences, rounded to the precision. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void seededFillsFollowTheDocumentedSequence(Target t) {
    SplittableRandom normal = new SplittableRandom(42);
    SplittableRandom uniform = new SplittableRandom(42);
    double[] n = new double[37 * 13];
    double[] u = new double[37 * 13];
    for (int i = 0; i < n.length; i++) {
      n[i] = round(t, 0.5 + 2.0 * normal.nextGaussian());
      u[i] = round(t, -1 + 3 * uniform.nextDouble());
    }
    assertExactly("normal", n, new int[] {37, 13}, t.f().normal(t.precision(), 42, 0.5, 2.0, 37, 13));
    assertExactly("uniform", u, new int[] {37 * 13}, t.f().uniform(t.precision(), 42, -1, 2, 37 * 13));
  }

  private static double round(Target t, double x) {
    return t.precision() == Precision.FLOAT64 ? x : (float) x;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void tensorsKnowTheirFactoryAndIdentityIsTheIdentity(Target t) {
    Tensor a = t.gaussian(31, 5, 5);
    Tensor eye = a.factory().identity(t.precision(), 5);
    assertExactly("A·I", a.toDoubleArray(), new int[] {5, 5}, a.matmul(eye, false, false, 1));
  }
}
