package org.varflow.backend.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.varflow.backend.conformance.Reference.assertClose;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;

/**
 * The products through activations on every backend and precision: {@code activatedProduct} is α·σ(X Wᵀ)·c and
 * {@code activatedTransposedProducts} are α·σ(Z)ᵀ·r and β·σ'(Z)ᵀ·s, equal (to the accumulated round-off) to the same
 * products formed with {@code matmul} and {@code activate} on that backend and, in float64, to plain loops. The
 * shapes are no multiples of a cache tile (n = 150 samples, m = 1100 or 4100 particles: a few panels of particles,
 * which the jvm backend splits over samples, or many, which it splits over particles), and p = 300 &gt; one inner block.
 */
class ActivatedProductsConformanceTest {

  static Stream<Arguments> cases() {
    return Target.all().flatMap(t -> Stream.of(Activation.RELU, Activation.TANH)
        .flatMap(act -> Stream.of(Arguments.of(t, act, 13, 1100), Arguments.of(t, act, 300, 1100),
            Arguments.of(t, act, 13, 4100))));
  }

  @ParameterizedTest(name = "{0} {1} p = {2}, m = {3}")
  @MethodSource("cases")
  void theForwardProductEqualsTheOneThroughTheWholeActivations(Target t, Activation act, int p, int m) {
    int n = 150;
    Tensor x = t.gaussian(1, n, p).scalei(1 / Math.sqrt(p));
    Tensor w = t.gaussian(2, m, p);
    Tensor z = x.matmul(w, false, true, 1.0);
    Tensor phi = z.activate(act);
    double[] phiLoops = Reference.map(Reference.matmul(x.toDoubleArray(), n, p, false, w.toDoubleArray(), m, p, true,
        1.0), act::value);
    for (int q : new int[] {1, 3}) {
      Tensor c = q == 1 ? t.gaussian(3, m) : t.gaussian(3, m, q);
      Tensor fused = x.activatedProduct(w, act, c, 0.25);
      assertArrayEquals(new int[] {n, q}, fused.shape(), "shape of σ(X Wᵀ)·c");
      Tensor expected = phi.matmul(c, false, false, 0.25);
      assertClose(t + " σ(X Wᵀ)·c, q = " + q, expected.toDoubleArray(), fused, t.accumulatedTol());
      if (t.precision() == Precision.FLOAT64) {
        double[] reference = Reference.matmul(phiLoops, n, m, false, c.toDoubleArray(), m, q, false, 0.25);
        assertClose(t + " σ(X Wᵀ)·c against loops", reference, fused, t.accumulatedTol());
      }
      Tensor.releaseAll(c, fused, expected);
    }
    Tensor.releaseAll(x, w, z, phi);
  }

  @ParameterizedTest(name = "{0} {1} p = {2}, m = {3}")
  @MethodSource("cases")
  void theTransposedProductsEqualTheOnesThroughTheWholeActivations(Target t, Activation act, int p, int m) {
    int n = 150;
    Tensor x = t.gaussian(4, n, p).scalei(1 / Math.sqrt(p));
    Tensor w = t.gaussian(5, m, p);
    Tensor r = t.gaussian(6, n);
    Tensor s = x.mulColumnVector(r);
    Tensor[] fused = x.activatedTransposedProducts(w, act, r, s, 0.5, -2.0);
    assertArrayEquals(new int[] {m, 1}, fused[0].shape(), "shape of σ(Z)ᵀ·r");
    assertArrayEquals(new int[] {m, p}, fused[1].shape(), "shape of σ'(Z)ᵀ·s");
    Tensor z = x.matmul(w, false, true, 1.0);
    Tensor phi = z.activate(act);
    Tensor psi = z.activateDerivative(act);
    assertClose(t + " σ(Z)ᵀ·r", phi.matmul(r, true, false, 0.5).toDoubleArray(), fused[0], t.accumulatedTol());
    assertClose(t + " σ'(Z)ᵀ·s", psi.matmul(s, true, false, -2.0).toDoubleArray(), fused[1], t.accumulatedTol());
    if (t.precision() == Precision.FLOAT64) {
      double[] zs = Reference.matmul(x.toDoubleArray(), n, p, false, w.toDoubleArray(), m, p, true, 1.0);
      assertClose(t + " σ(Z)ᵀ·r against loops", Reference.matmul(Reference.map(zs, act::value), n, m, true,
          r.toDoubleArray(), n, 1, false, 0.5), fused[0], t.accumulatedTol());
      assertClose(t + " σ'(Z)ᵀ·s against loops", Reference.matmul(Reference.map(zs, act::derivative), n, m, true,
          s.toDoubleArray(), n, p, false, -2.0), fused[1], t.accumulatedTol());
    }
    Tensor.releaseAll(x, w, r, s, fused[0], fused[1], z, phi, psi);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.varflow.backend.conformance.Target#all")
  void mismatchedShapesAreRefused(Target t) {
    Tensor x = t.gaussian(7, 20, 4);
    assertThrows(IllegalArgumentException.class, () -> x.activatedProduct(t.gaussian(8, 30, 5), Activation.RELU,
        t.gaussian(9, 30), 1.0), "weights with other columns");
    assertThrows(IllegalArgumentException.class, () -> x.activatedProduct(t.gaussian(8, 30, 4), Activation.RELU,
        t.gaussian(9, 29), 1.0), "c with other rows than w");
    assertThrows(IllegalArgumentException.class, () -> x.activatedTransposedProducts(t.gaussian(8, 30, 4),
        Activation.RELU, t.gaussian(9, 19), t.gaussian(10, 20, 4), 1.0, 1.0), "r with other rows than X");
  }
}
