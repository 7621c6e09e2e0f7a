package org.varflow.backend.jvm;

import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/** Creates {@link JvmTensor}s; every tensor gets its own copy of the data passed in. */
final class JvmTensorFactory implements TensorFactory {
  /** The one factory; it holds no state. */
  static final JvmTensorFactory INSTANCE = new JvmTensorFactory();

  private JvmTensorFactory() {}

  /** @return a new tensor holding a copy of {@code data}, rounded to float for float32 */
  @Override
  public Tensor of(Precision precision, double[] data, int... shape) {
    return JvmTensor.of("of", precision, data, shape);
  }

  /** @return a new float32 tensor holding a copy of {@code data} */
  @Override
  public Tensor of(float[] data, int... shape) {
    return JvmTensor.of("of", data, shape);
  }

  /** @return a new tensor of zeros */
  @Override
  public Tensor zeros(Precision precision, int... shape) {
    return JvmTensor.zeros("zeros", precision, shape);
  }
}
