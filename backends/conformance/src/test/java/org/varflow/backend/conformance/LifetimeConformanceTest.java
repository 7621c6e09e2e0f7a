package org.varflow.backend.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Lifetime;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;

/**
 * The ownership rule of {@link Tensor}, on every backend and precision: a released tensor, as {@code this}
 * or as an operand, throws {@link IllegalStateException} naming the operation; so does a second release;
 * a reshape view shares the lifetime of its base; released storage that a backend recycles is never
 * visible through the released tensor.
 */
class LifetimeConformanceTest {

  /** Each operation, applied with a released tensor as {@code this} (first argument) and live operands. */
  private static Map<String, BiConsumer<Tensor, Target>> operations() {
    Map<String, BiConsumer<Tensor, Target>> ops = new LinkedHashMap<>();
    ops.put("reshape", (x, t) -> x.reshape(9));
    ops.put("copy", (x, t) -> x.copy());
    ops.put("rows", (x, t) -> x.rows(1, 2));
    ops.put("setRowsi", (x, t) -> x.setRowsi(1, t.gaussian(1, 1, 3)));
    ops.put("cast", (x, t) -> x.cast(t.precision()));
    ops.put("matmul", (x, t) -> x.matmul(t.gaussian(1, 3, 3), false, false, 1.0));
    ops.put("activate", (x, t) -> x.activate(Activation.TANH));
    ops.put("activateDerivative", (x, t) -> x.activateDerivative(Activation.TANH));
    ops.put("sqrt", (x, t) -> x.sqrt());
    ops.put("abs", (x, t) -> x.abs());
    ops.put("add", (x, t) -> x.add(t.gaussian(1, 3, 3)));
    ops.put("sub", (x, t) -> x.sub(t.gaussian(1, 3, 3)));
    ops.put("mul", (x, t) -> x.mul(t.gaussian(1, 3, 3)));
    ops.put("div", (x, t) -> x.div(t.gaussian(1, 3, 3)));
    ops.put("addi", (x, t) -> x.addi(t.gaussian(1, 3, 3)));
    ops.put("muli", (x, t) -> x.muli(t.gaussian(1, 3, 3)));
    ops.put("divi", (x, t) -> x.divi(t.gaussian(1, 3, 3)));
    ops.put("axpyi", (x, t) -> x.axpyi(2.0, t.gaussian(1, 3, 3)));
    ops.put("scale", (x, t) -> x.scale(2.0));
    ops.put("scalei", (x, t) -> x.scalei(2.0));
    ops.put("addDiagonali", (x, t) -> x.addDiagonali(2.0));
    ops.put("mulRowVector", (x, t) -> x.mulRowVector(t.gaussian(1, 3)));
    ops.put("mulColumnVector", (x, t) -> x.mulColumnVector(t.gaussian(1, 3)));
    ops.put("addRowVector", (x, t) -> x.addRowVector(t.gaussian(1, 3)));
    ops.put("columnSums", (x, t) -> x.columnSums());
    ops.put("rowSums", (x, t) -> x.rowSums());
    ops.put("sum", (x, t) -> x.sum());
    ops.put("dot", (x, t) -> x.dot(t.gaussian(1, 3, 3)));
    ops.put("allFinite", (x, t) -> x.allFinite());
    ops.put("choleskySolve", (x, t) -> x.choleskySolve(t.gaussian(1, 3)));
    ops.put("toDoubleArray", (x, t) -> x.toDoubleArray());
    ops.put("toFloatArray", (x, t) -> x.toFloatArray());
    ops.put("get", (x, t) -> x.get(0, 0));
    return ops;
  }

  /** The same operations with a released tensor as the operand and a live {@code this}. */
  private static Map<String, BiConsumer<Tensor, Target>> asOperand() {
    Map<String, BiConsumer<Tensor, Target>> ops = new LinkedHashMap<>();
    ops.put("matmul", (x, t) -> spd(t).matmul(x, false, false, 1.0));
    ops.put("add", (x, t) -> spd(t).add(x));
    ops.put("sub", (x, t) -> spd(t).sub(x));
    ops.put("mul", (x, t) -> spd(t).mul(x));
    ops.put("div", (x, t) -> spd(t).div(x));
    ops.put("addi", (x, t) -> spd(t).addi(x));
    ops.put("muli", (x, t) -> spd(t).muli(x));
    ops.put("divi", (x, t) -> spd(t).divi(x));
    ops.put("axpyi", (x, t) -> spd(t).axpyi(2.0, x));
    ops.put("mulColumnVector", (x, t) -> t.gaussian(2, 9, 2).mulColumnVector(x));
    ops.put("setRowsi", (x, t) -> t.gaussian(2, 9, 3).setRowsi(0, x));
    ops.put("dot", (x, t) -> spd(t).dot(x));
    ops.put("choleskySolve", (x, t) -> spd(t).choleskySolve(x));
    return ops;
  }

  /** @return 3·I, positive definite */
  private static Tensor spd(Target t) {
    return t.f().identity(t.precision(), 3).scalei(3.0);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void everyOperationOnAReleasedTensorThrowsNamingIt(Target t) {
    operations().forEach((op, apply) -> {
      Tensor x = t.gaussian(7, 3, 3);
      x.release();
      assertThatThrownBy(() -> apply.accept(x, t)).as(op)
          .isInstanceOf(IllegalStateException.class).hasMessageStartingWith(op + ": ").hasMessageContaining("released");
      assertThat(x.shape()).as("shape stays readable").containsExactly(3, 3);
      assertThat(x.precision()).isEqualTo(t.precision());
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void aReleasedOperandThrowsNamingTheOperation(Target t) {
    asOperand().forEach((op, apply) -> {
      Tensor x = t.gaussian(7, 3, 3);
      x.release();
      assertThatThrownBy(() -> apply.accept(x, t)).as(op)
          .isInstanceOf(IllegalStateException.class).hasMessageStartingWith(op + ": ");
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void releasingTwiceThrows(Target t) {
    Tensor x = t.gaussian(7, 4, 2);
    x.release();
    assertThatThrownBy(x::release).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("release: ").hasMessageContaining("already released");
  }

  /** reshape shares storage and lifetime: releasing either ends both, and releasing both is a double release. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void aReshapeViewSharesTheLifetimeOfItsBase(Target t) {
    Tensor base = t.gaussian(7, 4, 2);
    Tensor view = base.reshape(8);
    view.release();
    assertThatThrownBy(() -> base.sum()).isInstanceOf(IllegalStateException.class).hasMessageStartingWith("sum: ");
    assertThatThrownBy(base::release).isInstanceOf(IllegalStateException.class).hasMessageStartingWith("release: ");

    Tensor other = t.gaussian(8, 4, 2);
    Tensor otherView = other.reshape(2, 4);
    other.release();
    assertThatThrownBy(() -> otherView.get(0, 0)).isInstanceOf(IllegalStateException.class).hasMessageStartingWith("get: ");
  }

  /**
   * A native backend hands released storage to the next allocation of that shape; the released tensor
   * must throw rather than read (or write) the new tensor's numbers.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void recycledStorageIsNotReachableThroughTheReleasedTensor(Target t) {
    Tensor a = t.gaussian(1, 64, 32);
    Tensor b = t.gaussian(2, 64, 32);
    Tensor stale = a.add(b);
    stale.release();
    Tensor fresh = a.sub(b); // same shape: may reuse the released storage
    double[] expected = Reference.zip(a.toDoubleArray(), b.toDoubleArray(), (x, y) -> x - y);
    assertThatThrownBy(() -> stale.scalei(0.0)).isInstanceOf(IllegalStateException.class);
    assertThat(fresh.toDoubleArray()).containsExactly(t.precision() == Precision.FLOAT64
        ? expected : Reference.map(expected, x -> (float) x));
    Tensor.releaseAll(a, b, fresh);
  }

  /** {@link Lifetime#live()} counts allocations not yet released: a loop that releases what it makes leaves it unchanged. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void liveCountReturnsToItsStartWhenEverythingIsReleased(Target t) {
    long before = Lifetime.live();
    Tensor x = t.gaussian(3, 16, 8);
    Tensor y = x.matmul(x, true, false, 1.0);
    Tensor v = y.reshape(64);
    assertThat(Lifetime.live()).isEqualTo(before + 2);
    Tensor.releaseAll(x, v);
    assertThat(Lifetime.live()).isEqualTo(before);
  }
}
