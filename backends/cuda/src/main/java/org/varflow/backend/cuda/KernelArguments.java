package org.varflow.backend.cuda;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The {@code kernelParams} of {@code cuLaunchKernel}: an array of pointers, the i-th to host memory holding the i-th
 * argument's value, freed when closed (right after the launch, which copies the values).
 */
final class KernelArguments implements AutoCloseable {
  private final Pointer[] values;
  private final PointerPointer<Pointer> pointers;

  /**
   * @param args {@link Integer} (int), {@link Long} (long long), {@link Double} (double), or a device
   *     {@link Pointer} (a pointer argument; null for a null pointer)
   */
  KernelArguments(Object... args) {
    values = new Pointer[args.length];
    try {
      for (int i = 0; i < args.length; i++) {
        Object a = args[i];
        if (a instanceof Integer v) {
          values[i] = new IntPointer(1).put(v);
        } else if (a instanceof Long v) {
          values[i] = new LongPointer(1).put(v);
        } else if (a instanceof Double v) {
          values[i] = new DoublePointer(1).put(v);
        } else if (a == null || a instanceof Pointer) {
          values[i] = new PointerPointer<>(1).put(0, (Pointer) a);
        } else {
          throw new IllegalArgumentException("kernel argument #" + i + " of type " + a.getClass().getName());
        }
      }
    } catch (RuntimeException e) {
      closeValues();
      throw e;
    }
    pointers = new PointerPointer<>(values);
  }

  /** @return the array of pointers to the values, for {@code cuLaunchKernel} */
  PointerPointer<Pointer> pointers() {
    return pointers;
  }

  @Override
  public void close() {
    pointers.close();
    closeValues();
  }

  private void closeValues() {
    for (Pointer v : values) {
      if (v != null) {
        v.close();
      }
    }
  }
}
