package org.varflow.backend.nd4j.cpu;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/** Creates {@link Nd4jTensor}s: dense C-ordered ND4J arrays, always with an explicit data type. */
final class Nd4jTensorFactory implements TensorFactory {
  /** The factory; it holds no state. */
  static final Nd4jTensorFactory INSTANCE = new Nd4jTensorFactory();

  private Nd4jTensorFactory() {}

  @Override
  public Tensor of(Precision precision, double[] data, int... shape) {
    checkLength(data.length, shape);
    return new Nd4jTensor(Nd4j.create(data, Nd4jTensor.extents(shape), Nd4jTensor.dataType(precision)), precision);
  }

  @Override
  public Tensor of(float[] data, int... shape) {
    checkLength(data.length, shape);
    return new Nd4jTensor(Nd4j.create(data, Nd4jTensor.extents(shape), DataType.FLOAT), Precision.FLOAT32);
  }

  @Override
  public Tensor zeros(Precision precision, int... shape) {
    TensorFactory.count(shape);
    return new Nd4jTensor(Nd4j.create(Nd4jTensor.dataType(precision), Nd4jTensor.extents(shape), 'c'), precision);
  }

  /** @throws IllegalArgumentException unless {@code length} is the element count of the valid {@code shape} */
  private static void checkLength(int length, int... shape) {
    int expected = TensorFactory.count(shape);
    if (length != expected) {
      throw new IllegalArgumentException("data has " + length + " elements, shape "
          + Arrays.toString(shape) + " needs " + expected);
    }
  }
}
