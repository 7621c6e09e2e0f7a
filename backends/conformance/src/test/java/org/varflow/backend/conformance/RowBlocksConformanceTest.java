package org.varflow.backend.conformance;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.varflow.backend.conformance.Reference.assertExactly;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.varflow.api.tensor.Tensor;

/**
 * Blocks of rows on every backend and precision: {@code rows(from, to)} is an exact, independent copy of those rows
 * (entries of a rank-1 tensor), {@code setRowsi(from, block)} writes a block exactly and leaves the other rows as
 * they were, and both refuse blocks outside the tensor or of another shape.
 */
class RowBlocksConformanceTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void aBlockOfRowsIsAnExactIndependentCopy(Target t) {
    Tensor m = t.gaussian(1, 37, 13);
    double[] x = m.toDoubleArray();
    Tensor block = m.rows(5, 12);
    assertExactly("rows(5, 12)", Arrays.copyOfRange(x, 5 * 13, 12 * 13), new int[] {7, 13}, block);
    block.scalei(2);
    assertExactly("the matrix after its block changed", x, new int[] {37, 13}, m);
    assertExactly("the last row", Arrays.copyOfRange(x, 36 * 13, 37 * 13), new int[] {1, 13}, m.rows(36, 37));
    Tensor v = t.gaussian(2, 7);
    double[] y = v.toDoubleArray();
    assertExactly("rows(2, 5) of a vector", Arrays.copyOfRange(y, 2, 5), new int[] {3}, v.rows(2, 5));
    assertExactly("the whole vector", y, new int[] {7}, v.rows(0, 7));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void setRowsWritesOneBlockExactly(Target t) {
    Tensor m = t.gaussian(3, 37, 13);
    double[] x = m.toDoubleArray();
    Tensor block = t.gaussian(4, 6, 13);
    double[] b = block.toDoubleArray();
    m.setRowsi(30, block);
    double[] expected = x.clone();
    System.arraycopy(b, 0, expected, 30 * 13, b.length);
    assertExactly("setRowsi(30, 6×13)", expected, new int[] {37, 13}, m);
    assertExactly("the block, unchanged", b, new int[] {6, 13}, block);
    Tensor v = t.gaussian(5, 7);
    double[] y = v.toDoubleArray();
    Tensor entries = t.gaussian(6, 2);
    double[] e = entries.toDoubleArray();
    v.setRowsi(0, entries);
    y[0] = e[0];
    y[1] = e[1];
    assertExactly("setRowsi(0, [2]) of a vector", y, new int[] {7}, v);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void blocksOutsideTheTensorOrOfAnotherShapeAreRefused(Target t) {
    Tensor m = t.gaussian(7, 5, 3);
    assertThrows(IndexOutOfBoundsException.class, () -> m.rows(3, 6), "to beyond the rows");
    assertThrows(IndexOutOfBoundsException.class, () -> m.rows(-1, 2), "negative from");
    assertThrows(IndexOutOfBoundsException.class, () -> m.rows(2, 2), "an empty block");
    assertThrows(IndexOutOfBoundsException.class, () -> m.setRowsi(4, t.gaussian(8, 2, 3)), "rows beyond the end");
    assertThrows(IllegalArgumentException.class, () -> m.setRowsi(0, t.gaussian(8, 2, 4)), "other columns");
    assertThrows(IllegalArgumentException.class, () -> m.setRowsi(0, t.gaussian(8, 3)), "a vector into a matrix");
  }
}
