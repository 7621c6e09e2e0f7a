package org.varflow.app;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/**
 * A tensor factory that computes like another one except that one operation, in one precision, is off by
 * a factor 1.5: a stand-in for a BLAS kernel that miscomputes on some CPU, to show that the self-check
 * catches it and what the launcher does then.
 */
final class FaultyTensors {
  private FaultyTensors() {}

  /**
   * @param base the backend whose tensors do the work
   * @param op the {@link Tensor} method to corrupt: {@code matmul}, {@code choleskySolve}, {@code dot} or {@code sum}
   * @param precision the precision in which it is wrong
   * @return the faulty factory
   */
  static TensorFactory of(TensorFactory base, String op, Precision precision) {
    return new Fault(base, op, precision).proxy(TensorFactory.class);
  }

  /** Forwards to {@code target}, unwrapping faulty operands, wrapping tensor results, corrupting {@code op}. */
  private record Fault(Object target, String op, Precision precision) implements InvocationHandler {

    <T> T proxy(Class<T> type) {
      return type.cast(Proxy.newProxyInstance(FaultyTensors.class.getClassLoader(), new Class<?>[] {type}, this));
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) throws Throwable {
      Object result;
      try {
        result = method.invoke(target, unwrapped(args));
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
      if (method.getName().equals(op) && target instanceof Tensor t && t.precision() == precision) {
        result = result instanceof Tensor r ? r.scalei(1.5) : (Double) result * 1.5;
      }
      if (result == target) {
        return self; // in-place operations return this
      }
      return result instanceof Tensor r ? new Fault(r, op, precision).proxy(Tensor.class) : result;
    }

    /** @return the arguments with faulty tensors replaced by the tensors they wrap */
    private static Object[] unwrapped(Object[] args) {
      if (args == null) {
        return null;
      }
      Object[] out = args.clone();
      for (int i = 0; i < out.length; i++) {
        if (out[i] != null && Proxy.isProxyClass(out[i].getClass())
            && Proxy.getInvocationHandler(out[i]) instanceof Fault f) {
          out[i] = f.target;
        }
      }
      return out;
    }
  }
}
