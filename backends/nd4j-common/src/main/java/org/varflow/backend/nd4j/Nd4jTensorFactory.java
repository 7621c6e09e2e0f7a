package org.varflow.backend.nd4j;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.varflow.backend.support.Operands;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/**
 * Creates tensors on ND4J arrays (dense, C-ordered, always with an explicit data type) for the ND4J backends:
 * every operation is an ND4J op except the products, reductions and solves, which go to the backend's
 * {@link Nd4jKernels}. The backend initialises ND4J before it creates this factory.
 */
public final class Nd4jTensorFactory implements TensorFactory {
  private final Nd4jKernels kernels;

  /** @param kernels the products, reductions and solves of the ND4J backend at hand */
  public Nd4jTensorFactory(Nd4jKernels kernels) {
    this.kernels = kernels;
  }

  /** @return the backend's products, reductions and solves */
  Nd4jKernels kernels() {
    return kernels;
  }

  @Override
  public Tensor of(Precision precision, double[] data, int... shape) {
    Operands.data("of", data.length, shape);
    return new Nd4jTensor(this, Nd4j.create(data, Nd4jTensor.extents(shape), Nd4jTensor.dataType(precision)), precision);
  }

  @Override
  public Tensor of(float[] data, int... shape) {
    Operands.data("of", data.length, shape);
    return new Nd4jTensor(this, Nd4j.create(data, Nd4jTensor.extents(shape), DataType.FLOAT), Precision.FLOAT32);
  }

  @Override
  public Tensor zeros(Precision precision, int... shape) {
    Operands.count("zeros", shape);
    return new Nd4jTensor(this, Nd4j.create(Nd4jTensor.dataType(precision), Nd4jTensor.extents(shape), 'c'), precision);
  }
}
