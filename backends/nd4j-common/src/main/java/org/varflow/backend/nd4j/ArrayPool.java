package org.varflow.backend.nd4j;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.varflow.backend.support.StoragePool;

/**
 * Recycles released arrays by dtype and shape. A fresh native block costs a page fault per 4 KiB
 * (~40 ms for 64 MiB, ten times the elementwise op that fills it), and a gradient-flow step allocates
 * the same n×m temporaries every step, so reusing them keeps a step at the cost of its arithmetic.
 */
final class ArrayPool {
  /** Free arrays kept per (dtype, shape); more are closed. */
  private static final StoragePool<INDArray> FREE = new StoragePool<>(4, INDArray::close);

  private ArrayPool() {}

  /** @return a C-order array of this dtype and shape with arbitrary contents */
  static INDArray take(DataType type, long[] shape) {
    return FREE.take(key(type, shape), () -> Nd4j.createUninitialized(type, shape, 'c'));
  }

  /** Takes back an array nobody uses any more (not a view); closes it when the pool is full. */
  static void give(INDArray a) {
    if (!a.closeable()) {
      return;
    }
    if (a.ordering() == 'c') {
      FREE.give(key(a.dataType(), a.shape()), a);
    } else {
      a.close();
    }
  }

  private static String key(DataType type, long[] shape) {
    return type + Arrays.toString(shape);
  }
}
