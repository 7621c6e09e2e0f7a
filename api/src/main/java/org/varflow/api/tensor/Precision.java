package org.varflow.api.tensor;

import java.util.Locale;

/** Floating-point precision of a {@link Tensor}: float64 for verification (default), float32 for speed. */
public enum Precision {
  /** IEEE 754 binary32. */
  FLOAT32,
  /** IEEE 754 binary64. */
  FLOAT64;

  /** @return the bytes of one element: 4 or 8 */
  public int bytes() {
    return this == FLOAT32 ? 4 : 8;
  }

  /** @return the spec spelling, {@code float32} or {@code float64} */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @param id {@code float32} or {@code float64}
   * @return the precision
   * @throws IllegalArgumentException for any other spelling
   */
  public static Precision parse(String id) {
    for (Precision p : values()) {
      if (p.id().equals(id)) {
        return p;
      }
    }
    throw new IllegalArgumentException("'" + id + "' is not one of float32, float64");
  }
}
