package org.varflow.backend.nd4j.cpu;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Recycles released arrays by dtype and shape. A fresh native block costs a page fault per 4 KiB
 * (~40 ms for 64 MiB, ten times the elementwise op that fills it), and a gradient-flow step allocates
 * the same n×m temporaries every step, so reusing them keeps a step at the cost of its arithmetic.
 */
final class ArrayPool {
  /** Free arrays kept per (dtype, shape); more are closed. */
  private static final int PER_SHAPE = 4;
  private static final Map<String, ArrayDeque<INDArray>> FREE = new HashMap<>();

  private ArrayPool() {}

  /** @return a C-order array of this dtype and shape with arbitrary contents */
  static synchronized INDArray take(DataType type, long[] shape) {
    ArrayDeque<INDArray> free = FREE.get(key(type, shape));
    INDArray a = free == null ? null : free.poll();
    return a != null ? a : Nd4j.createUninitialized(type, shape, 'c');
  }

  /** Takes back an array nobody uses any more (not a view); closes it when the pool is full. */
  static synchronized void give(INDArray a) {
    if (!a.closeable()) {
      return;
    }
    ArrayDeque<INDArray> free = FREE.computeIfAbsent(key(a.dataType(), a.shape()), k -> new ArrayDeque<>());
    if (free.size() < PER_SHAPE && a.ordering() == 'c') {
      free.push(a);
    } else {
      a.close();
    }
  }

  private static String key(DataType type, long[] shape) {
    return type + Arrays.toString(shape);
  }
}
