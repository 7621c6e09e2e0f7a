package org.varflow.backend.support;

import java.util.Arrays;
import java.util.Objects;
import org.varflow.api.tensor.Lifetime;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/**
 * The argument checks every {@link Tensor} operation makes, with one wording on every backend: each failure is an
 * {@link IllegalArgumentException} (or {@link IndexOutOfBoundsException}) that names the operation and the shapes.
 * A backend calls these before it touches storage; checking that operands are still alive is its own
 * ({@link Lifetime#check}).
 */
public final class Operands {
  private Operands() {}

  /** @return {@code r×c} for rank 2, {@code [k]} for rank 1 */
  public static String shape(Tensor t) {
    int[] s = t.shape();
    return s.length == 2 ? s[0] + "×" + s[1] : "[" + s[0] + "]";
  }

  /**
   * @param type the backend's tensor class
   * @return {@code other} as a tensor of {@code type} in the precision of {@code self}
   * @throws IllegalArgumentException if it is null, of another backend or of another precision
   */
  public static <T extends Tensor> T operand(String op, Tensor self, Tensor other, Class<T> type) {
    Objects.requireNonNull(other, op + ": operand is null");
    if (!type.isInstance(other)) {
      throw new IllegalArgumentException(op + ": operand " + other + " comes from another backend; use tensors of one"
          + " backend");
    }
    if (other.precision() != self.precision()) {
      throw new IllegalArgumentException(op + ": precisions " + self.precision().id() + " and "
          + other.precision().id() + " do not match");
    }
    return type.cast(other);
  }

  /** @throws IllegalArgumentException unless {@code a} and {@code b} have the same shape */
  public static void sameShape(String op, Tensor a, Tensor b) {
    if (!Arrays.equals(a.shape(), b.shape())) {
      throw new IllegalArgumentException(op + ": shapes " + shape(a) + " and " + shape(b) + " do not match");
    }
  }

  /** @throws IllegalArgumentException unless {@code a} and {@code b} have the same number of elements */
  public static void sameSize(String op, Tensor a, Tensor b) {
    if (a.size() != b.size()) {
      throw new IllegalArgumentException(op + ": sizes " + a.size() + " (" + shape(a) + ") and " + b.size() + " ("
          + shape(b) + ") differ");
    }
  }

  /**
   * @param what what {@code length} counts in {@code self}, e.g. {@code "columns"}
   * @throws IllegalArgumentException unless the vector {@code v} has {@code length} elements
   */
  public static void vector(String op, Tensor self, Tensor v, int length, String what) {
    if (v.size() != length) {
      throw new IllegalArgumentException(op + ": vector " + shape(v) + " has " + v.size() + " elements, but "
          + shape(self) + " has " + length + " " + what);
    }
  }

  /**
   * @return {m, n, k} of op(a)·op(b): op(a) is m×k, op(b) is k×n
   * @throws IllegalArgumentException if the inner dimensions differ
   */
  public static int[] product(Tensor a, boolean transposeA, Tensor b, boolean transposeB) {
    int m = transposeA ? a.cols() : a.rows();
    int k = transposeA ? a.rows() : a.cols();
    int kb = transposeB ? b.cols() : b.rows();
    int n = transposeB ? b.rows() : b.cols();
    if (k != kb) {
      throw new IllegalArgumentException("matmul: " + shape(a) + (transposeA ? "ᵀ" : "") + " · " + shape(b)
          + (transposeB ? "ᵀ" : "") + " shapes do not match (inner dimensions " + k + " and " + kb + ")");
    }
    return new int[] {m, n, k};
  }

  /**
   * The shapes of a product through activations, σ(X wᵀ) with X n×p and w m×p, and of one more operand.
   *
   * @param other the other operand: c (m rows) of {@code activatedProduct}, r or s (n rows) of the transposed products
   * @param rows the rows it must have
   * @throws IllegalArgumentException unless X and w have the same columns and {@code other} has {@code rows} rows
   */
  public static void activated(String op, Tensor x, Tensor w, Tensor other, int rows) {
    if (x.shape().length != 2 || w.shape().length != 2 || x.cols() != w.cols()) {
      throw new IllegalArgumentException(op + ": " + shape(x) + " · " + shape(w) + "ᵀ shapes do not match (inputs and"
          + " weights need the same columns)");
    }
    if (other.rows() != rows) {
      throw new IllegalArgumentException(op + ": operand " + shape(other) + " needs " + rows + " rows");
    }
  }

  /** @throws IllegalArgumentException unless {@code a} is a square matrix (rank 2) */
  public static void square(String op, Tensor a) {
    if (a.shape().length != 2 || a.rows() != a.cols()) {
      throw new IllegalArgumentException(op + ": the matrix is " + shape(a) + ", not square");
    }
  }

  /** @throws IllegalArgumentException unless {@code a} is square and {@code b} has as many rows */
  public static void system(String op, Tensor a, Tensor b) {
    square(op, a);
    if (b.rows() != a.rows()) {
      throw new IllegalArgumentException(op + ": right-hand side " + shape(b) + " does not match the " + a.rows()
          + " rows of the " + shape(a) + " matrix");
    }
  }

  /**
   * @return the element count of {@code shape}
   * @throws IllegalArgumentException if {@code shape} is invalid or holds another number of elements than {@code t}
   */
  public static int reshape(Tensor t, int... shape) {
    int count = count("reshape", shape);
    if (count != t.size()) {
      throw new IllegalArgumentException("reshape: cannot reshape " + shape(t) + " (" + t.size() + " elements) to "
          + Arrays.toString(shape));
    }
    return count;
  }

  /**
   * @return {@link TensorFactory#count} of {@code shape}
   * @throws IllegalArgumentException with the message prefixed by {@code op} for an invalid shape
   */
  public static int count(String op, int... shape) {
    try {
      return TensorFactory.count(shape);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(op + ": " + e.getMessage(), e);
    }
  }

  /**
   * @return the shape of rows {@code from} … {@code to} − 1 of {@code t}: (to − from) for rank 1, (to − from, cols)
   * @throws IndexOutOfBoundsException unless 0 ≤ from &lt; to ≤ rows
   */
  public static int[] rows(Tensor t, int from, int to) {
    if (from < 0 || from >= to || to > t.rows()) {
      throw new IndexOutOfBoundsException("rows(" + from + ", " + to + ") is outside the " + t.rows() + " rows of "
          + shape(t));
    }
    return t.shape().length == 1 ? new int[] {to - from} : new int[] {to - from, t.cols()};
  }

  /**
   * @throws IllegalArgumentException unless {@code source} has the rank and columns of {@code t}
   * @throws IndexOutOfBoundsException unless its rows fit from row {@code from}
   */
  public static void setRows(Tensor t, int from, Tensor source) {
    if (source.shape().length != t.shape().length || source.cols() != t.cols()) {
      throw new IllegalArgumentException("setRowsi: rows " + shape(source) + " do not fit the rows of " + shape(t));
    }
    rows(t, from, from + source.rows());
  }

  /** @throws IndexOutOfBoundsException unless (i, j) is an element of {@code t} */
  public static void index(Tensor t, int i, int j) {
    if (i < 0 || i >= t.rows() || j < 0 || j >= t.cols()) {
      throw new IndexOutOfBoundsException("get(" + i + ", " + j + ") is outside " + shape(t));
    }
  }

  /**
   * @return the element count of {@code shape}
   * @throws IllegalArgumentException unless {@code length} values fill the valid {@code shape}
   */
  public static int data(String op, int length, int... shape) {
    int n = count(op, shape);
    if (n != length) {
      throw new IllegalArgumentException(op + ": " + length + " values do not fill shape " + Arrays.toString(shape)
          + " (" + n + " elements)");
    }
    return n;
  }
}
