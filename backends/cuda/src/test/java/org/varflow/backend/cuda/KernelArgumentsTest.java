package org.varflow.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.junit.jupiter.api.Test;

/** What {@code cuLaunchKernel} reads as kernelParams: the i-th pointer leads to the i-th argument's value. */
class KernelArgumentsTest {

  @Test
  void eachPointerLeadsToItsArgumentsValue() {
    try (DoublePointer device = new DoublePointer(4); // stands in for a device buffer: only its address is passed
        KernelArguments args = new KernelArguments(7, 1L << 40, -2.5, device, null)) {
      PointerPointer<Pointer> p = args.pointers();
      assertThat(new IntPointer(p.get(0)).get()).isEqualTo(7);
      assertThat(new LongPointer(p.get(1)).get()).isEqualTo(1L << 40);
      assertThat(new DoublePointer(p.get(2)).get()).isEqualTo(-2.5);
      assertThat(new PointerPointer<>(p.get(3)).get(0).address()).isEqualTo(device.address());
      assertThat(new PointerPointer<>(p.get(4)).get(0)).isNull(); // a null device pointer is passed as 0
    }
  }

  @Test
  void anArgumentOfAnotherTypeIsRefused() {
    assertThatThrownBy(() -> new KernelArguments(1, 2f)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("kernel argument #1 of type java.lang.Float");
  }
}
