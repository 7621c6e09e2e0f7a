package org.varflow.backend.jvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/** Activations and their derivatives against the scalar reference {@link Activation#value}/{@link Activation#derivative}. */
class ActivationTest {
  private final TensorFactory tensors = new JvmBackend().tensors();

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (Activation a : Activation.values()) {
      for (Precision p : Precision.values()) {
        out.add(Arguments.of(a, p, false));
        out.add(Arguments.of(a, p, true));
      }
    }
    return out.stream();
  }

  /** 200 000 points evenly on [-10, 10], extremes and signed zeros: several parallel chunks. */
  private static double[] grid() {
    int n = 200_000;
    double[] z = new double[n + 10];
    for (int i = 0; i < n; i++) {
      z[i] = -10 + 20.0 * i / (n - 1);
    }
    double[] extra = {0.0, -0.0, 1e-30, -1e-12, 20, -20, 88, -88, 1e6, -1e6};
    System.arraycopy(extra, 0, z, n, extra.length);
    return z;
  }

  @ParameterizedTest(name = "{0} {1} derivative={2}")
  @MethodSource("cases")
  void agreesWithTheScalarReference(Activation activation, Precision p, boolean derivative) {
    double[] z = grid();
    Tensor x = tensors.of(p, z, z.length / 10, 10);
    double[] in = x.toDoubleArray();

    Tensor y = derivative ? x.activateDerivative(activation) : x.activate(activation);

    assertThat(y.shape()).containsExactly(z.length / 10, 10);
    assertThat(y.precision()).isEqualTo(p);
    double[] out = y.toDoubleArray();
    for (int i = 0; i < in.length; i++) {
      double ref = derivative ? activation.derivative(in[i]) : activation.value(in[i]);
      if (p == Precision.FLOAT64) {
        assertThat(out[i]).as("σ(%s)", in[i]).isEqualTo(ref);
      } else {
        // tanh and its derivative use a rational approximation: ≤ 4e-7 relative / 1e-6 absolute
        double tol = activation != Activation.TANH ? Math.ulp((float) ref) : derivative ? 1e-6 : 4e-7 * Math.abs(ref);
        assertThat(out[i]).as("σ(%s)", in[i]).isCloseTo(ref, within(tol));
      }
    }
  }
}
