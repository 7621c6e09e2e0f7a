package org.varflow.backend.cuda;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.varflow.backend.support.Operands;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/** Creates {@link CudaTensor}s on one {@link Device}: host data is copied in, zeros are a memset. */
final class CudaTensorFactory implements TensorFactory {
  private final Device device;

  CudaTensorFactory(Device device) {
    this.device = device;
  }

  /** @return the GPU the tensors live on */
  Device device() {
    return device;
  }

  @Override
  public Tensor of(Precision precision, double[] data, int... shape) {
    Operands.data("of", data.length, shape);
    if (precision == Precision.FLOAT32) {
      float[] rounded = new float[data.length];
      for (int i = 0; i < data.length; i++) {
        rounded[i] = (float) data[i];
      }
      return of(rounded, shape);
    }
    try (DoublePointer host = new DoublePointer(data)) {
      return upload(precision, host, shape);
    }
  }

  @Override
  public Tensor of(float[] data, int... shape) {
    Operands.data("of", data.length, shape);
    try (FloatPointer host = new FloatPointer(data)) {
      return upload(Precision.FLOAT32, host, shape);
    }
  }

  private Tensor upload(Precision precision, Pointer host, int... shape) {
    CudaTensor t = new CudaTensor(this, precision, shape);
    if (t.size() > 0) {
      device.upload(t.buffer(), host, t.size() * precision.bytes());
    }
    return t;
  }

  @Override
  public Tensor zeros(Precision precision, int... shape) {
    Operands.count("zeros", shape);
    CudaTensor t = new CudaTensor(this, precision, shape);
    device.zero(t.buffer(), t.size() * precision.bytes());
    return t;
  }
}
