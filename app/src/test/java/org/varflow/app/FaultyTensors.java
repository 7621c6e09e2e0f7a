package org.varflow.app;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.varflow.api.tensor.Backend;
import org.varflow.api.tensor.Precision;
import org.varflow.backend.support.SelfCheck;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/**
 * Tensor factories that compute like another one except that one operation, in one precision, is off by a
 * factor 1.5 or by a small relative error, has one transpose pair or its result's shape wrong, leaves out an
 * element, throws, or turns NaN after some calls: stand-ins for a BLAS kernel that miscomputes on some CPU, a
 * backend that fails mid-run, or a run whose numbers stop being finite, to show that the self-check catches the
 * wrong answers and what the launcher does about all of them.
 */
final class FaultyTensors {
  private FaultyTensors() {}

  /**
   * @param base the backend whose tensors do the work
   * @param op the {@link Tensor} method to corrupt: {@code matmul}, {@code choleskySolve}, {@code dot} or {@code sum}
   * @param precision the precision in which it is wrong
   * @return the faulty factory
   */
  static TensorFactory wrong(TensorFactory base, String op, Precision precision) {
    return new Fault(base, op, precision, (target, args, call) -> {
      Object result = call.get();
      return result instanceof Tensor r ? r.scalei(1.5) : (Double) result * 1.5;
    }).proxy(TensorFactory.class);
  }

  /**
   * @return a factory whose {@code op} in {@code precision} is off by the relative error {@code relative}: its result
   *     times 1 + relative, as a kernel that accumulates in too low a precision or drops a term might be
   */
  static TensorFactory off(TensorFactory base, String op, Precision precision, double relative) {
    return new Fault(base, op, precision, (target, args, call) -> {
      Object result = call.get();
      return result instanceof Tensor r ? r.scalei(1 + relative) : (Double) result * (1 + relative);
    }).proxy(TensorFactory.class);
  }

  /**
   * @return a factory whose matrix product, in both precisions, is wrong for one transpose pair only: for
   *     op(A)·op(B) with these flags it returns the right shape holding the product's elements in column order (the
   *     layout of a kernel that gets one transposition wrong); the other pairs are right
   */
  static TensorFactory transposedFor(TensorFactory base, boolean transposeA, boolean transposeB) {
    return new Fault(base, "matmul", null, (target, args, call) -> {
      Tensor r = (Tensor) call.get();
      if ((Boolean) args[1] != transposeA || (Boolean) args[2] != transposeB) {
        return r;
      }
      int rows = r.rows();
      int cols = r.cols();
      double[] v = r.toDoubleArray();
      double[] columnOrder = new double[v.length];
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          columnOrder[j * rows + i] = v[i * cols + j];
        }
      }
      Tensor wrong = r.factory().of(r.precision(), columnOrder, rows, cols);
      r.release();
      return wrong;
    }).proxy(TensorFactory.class);
  }

  /**
   * @return a factory whose {@code op} in {@code precision} returns its (rank-2) result with the shape reversed
   *     (n×m for m×n: the same elements, in the same order), as a kernel that swaps the extents it reports would
   */
  static TensorFactory reshaped(TensorFactory base, String op, Precision precision) {
    return new Fault(base, op, precision, (target, args, call) -> {
      Tensor r = (Tensor) call.get();
      return r.reshape(r.cols(), r.rows());
    }).proxy(TensorFactory.class);
  }

  /**
   * @return a factory whose {@code dot} or {@code sum} in {@code precision} leaves out the last element, as a kernel
   *     that miscounts the length would
   */
  static TensorFactory oneShort(TensorFactory base, String op, Precision precision) {
    return new Fault(base, op, precision, (target, args, call) -> {
      double[] x = target.toDoubleArray();
      double[] y = args == null ? null : ((Tensor) args[0]).toDoubleArray();
      double s = 0;
      for (int i = 0; i < x.length - 1; i++) {
        s += y == null ? x[i] : x[i] * y[i];
      }
      return s;
    }).proxy(TensorFactory.class);
  }

  /** @return a factory whose {@code op} throws {@link ArithmeticException} in {@code precision} */
  static TensorFactory failing(TensorFactory base, String op, Precision precision) {
    return new Fault(base, op, precision, (target, args, call) -> {
      throw new ArithmeticException("injected failure of " + op + " in " + precision.id());
    }).proxy(TensorFactory.class);
  }

  /** @return a factory whose {@code op} in {@code precision} returns NaN from its ({@code calls} + 1)-th call on */
  static TensorFactory nanAfter(TensorFactory base, String op, Precision precision, int calls) {
    AtomicInteger count = new AtomicInteger();
    return new Fault(base, op, precision, (target, args, call) -> {
      Object result = call.get();
      return count.incrementAndGet() <= calls ? result : result instanceof Tensor r ? r.scalei(Double.NaN) : Double.NaN;
    }).proxy(TensorFactory.class);
  }

  /** @return a factory whose {@code op} in {@code precision} runs out of heap from its ({@code calls} + 1)-th call on */
  static TensorFactory outOfMemoryAfter(TensorFactory base, String op, Precision precision, int calls) {
    AtomicInteger count = new AtomicInteger();
    return new Fault(base, op, precision, (target, args, call) -> {
      if (count.incrementAndGet() > calls) {
        throw new OutOfMemoryError("Java heap space");
      }
      return call.get();
    }).proxy(TensorFactory.class);
  }

  /**
   * @return a backend {@code id} of priority 100 computing with {@code tensors} that, like the real ones,
   *     is available only when the self-check passes
   */
  static Backend backend(String id, TensorFactory tensors) {
    return new StandIn(id, tensors);
  }

  /** What a broken operation does in place of the real one, which it may call. */
  private interface Breakage {
    /**
     * @param target the tensor whose operation it is
     * @param args the operation's arguments, faulty tensors replaced by the tensors they wrap
     */
    Object apply(Tensor target, Object[] args, Call call) throws Throwable;
  }

  /** The real operation. */
  private interface Call {
    Object get() throws Throwable;
  }

  /** Forwards to {@code target}, unwrapping faulty operands, wrapping tensor results, breaking {@code op}. */
  private record Fault(Object target, String op, Precision precision, Breakage breakage) implements InvocationHandler {

    <T> T proxy(Class<T> type) {
      return type.cast(Proxy.newProxyInstance(FaultyTensors.class.getClassLoader(), new Class<?>[] {type}, this));
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) throws Throwable {
      boolean broken = method.getName().equals(op) && target instanceof Tensor t
          && (precision == null || t.precision() == precision);
      Object[] plain = unwrapped(args);
      Call call = () -> {
        try {
          return method.invoke(target, plain);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      };
      Object result = broken ? breakage.apply((Tensor) target, plain, call) : call.get();
      if (result == target) {
        return self; // in-place operations return this
      }
      return result instanceof Tensor r ? new Fault(r, op, precision, breakage).proxy(Tensor.class) : result;
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

  /** A backend that runs the self-check as the real ones do. */
  private record StandIn(String id, TensorFactory tensors) implements Backend {
    @Override
    public String description() {
      return "stand-in with a faulty kernel";
    }

    @Override
    public int priority() {
      return 100;
    }

    @Override
    public Optional<String> unavailableReason() {
      return SelfCheck.verify(tensors).map(why -> "self-check failed: " + why);
    }

    @Override
    public String describe() {
      return description();
    }
  }
}
