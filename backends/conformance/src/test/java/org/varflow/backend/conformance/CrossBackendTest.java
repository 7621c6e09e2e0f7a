package org.varflow.backend.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.varflow.backend.conformance.Reference.assertClose;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Backend;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/** The same seeded computation on every available backend gives the same numbers. */
class CrossBackendTest {
  private static final int N = 50;
  private static final int D = 7;
  private static final int M = 37;
  private static final double STEP = 0.1;
  private static final double TOL = 1e-10;

  @Test
  void seededFillsAreIdenticalOnEveryBackend() {
    for (Precision p : Precision.values()) {
      Map<String, double[]> normals = new LinkedHashMap<>();
      Map<String, double[]> uniforms = new LinkedHashMap<>();
      for (Backend b : Target.available()) {
        normals.put(b.id(), b.tensors().normal(p, 2607, -1, 0.5, 37, 13).toDoubleArray());
        uniforms.put(b.id(), b.tensors().uniform(p, 2607, 2, 5, 101).toDoubleArray());
      }
      assertAllEqual("normal " + p.id(), normals);
      assertAllEqual("uniform " + p.id(), uniforms);
    }
  }

  /**
   * One gradient evaluation of the 1/m-scaled two-layer network f(x) = (1/m) Σ_j a_j σ(w_j·x) under the
   * squared loss, then one explicit Euler step, in float64: every intermediate agrees with a plain-Java
   * computation and across backends.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Activation.class)
  void twoLayerGradientAgreesAcrossBackends(Activation sigma) {
    Map<String, Map<String, double[]>> byBackend = new LinkedHashMap<>();
    for (Backend b : Target.available()) {
      byBackend.put(b.id(), gradient(b.tensors(), sigma));
    }
    Map<String, double[]> reference = reference(byBackend.values().iterator().next(), sigma);
    for (var backend : byBackend.entrySet()) {
      for (var quantity : reference.entrySet()) {
        assertClose(backend.getKey() + " " + sigma.id() + " " + quantity.getKey(), quantity.getValue(),
            backend.getValue().get(quantity.getKey()), TOL);
      }
    }
    for (String quantity : reference.keySet()) {
      Map<String, double[]> values = new LinkedHashMap<>();
      byBackend.forEach((id, results) -> values.put(id, results.get(quantity)));
      assertAllClose(sigma.id() + " " + quantity, values);
    }
  }

  /** @return the inputs and every intermediate of one gradient step, computed with {@code f}'s tensors */
  private static Map<String, double[]> gradient(TensorFactory f, Activation sigma) {
    Precision p = Precision.FLOAT64;
    Tensor x = f.normal(p, 1, 0, 1, N, D);
    Tensor w = f.normal(p, 2, 0, 1 / Math.sqrt(D), M, D);
    Tensor a = f.normal(p, 3, 0, 1, M);
    Tensor y = f.uniform(p, 4, -1, 1, N);
    Tensor z = x.matmul(w, false, true, 1);
    Tensor s = z.activate(sigma);
    Tensor out = s.matmul(a, false, false, 1.0 / M);
    Tensor r = out.reshape(N).sub(y);
    Tensor gradA = s.matmul(r, true, false, 1);
    Tensor delta = z.activateDerivative(sigma).mulColumnVector(r).mulRowVector(a);
    Tensor gradW = delta.matmul(x, true, false, 1);
    Map<String, double[]> q = new LinkedHashMap<>();
    q.put("X", x.toDoubleArray());
    q.put("W", w.toDoubleArray());
    q.put("a", a.toDoubleArray());
    q.put("y", y.toDoubleArray());
    q.put("Z", z.toDoubleArray());
    q.put("S", s.toDoubleArray());
    q.put("f", out.toDoubleArray());
    q.put("r", r.toDoubleArray());
    q.put("risk", new double[] {r.squaredNorm() / (2 * N)});
    q.put("grad_a", gradA.toDoubleArray());
    q.put("D", delta.toDoubleArray());
    q.put("grad_W", gradW.toDoubleArray());
    q.put("a_next", a.copy().axpyi(-STEP, gradA.reshape(M)).toDoubleArray());
    q.put("W_next", w.copy().axpyi(-STEP, gradW).toDoubleArray());
    return q;
  }

  /** @return the same quantities by plain loops, from the inputs X, W, a, y of {@code inputs} */
  private static Map<String, double[]> reference(Map<String, double[]> inputs, Activation sigma) {
    double[] x = inputs.get("X");
    double[] w = inputs.get("W");
    double[] a = inputs.get("a");
    double[] y = inputs.get("y");
    double[] z = Reference.matmul(x, N, D, false, w, M, D, true, 1);
    double[] s = Reference.map(z, sigma::value);
    double[] out = Reference.matmul(s, N, M, false, a, M, 1, false, 1.0 / M);
    double[] r = Reference.zip(out, y, (u, v) -> u - v);
    double[] gradA = Reference.matmul(s, N, M, true, r, N, 1, false, 1);
    double[] delta = Reference.rowwise(Reference.mulColumns(Reference.map(z, sigma::derivative), M, r), M, a,
        (u, v) -> u * v);
    double[] gradW = Reference.matmul(delta, N, M, true, x, N, D, false, 1);
    Map<String, double[]> q = new LinkedHashMap<>();
    q.put("Z", z);
    q.put("S", s);
    q.put("f", out);
    q.put("r", r);
    q.put("risk", new double[] {Reference.dot(r, r) / (2 * N)});
    q.put("grad_a", gradA);
    q.put("D", delta);
    q.put("grad_W", gradW);
    q.put("a_next", Reference.zip(a, gradA, (u, g) -> u - STEP * g));
    q.put("W_next", Reference.zip(w, gradW, (u, g) -> u - STEP * g));
    return q;
  }

  private static void assertAllEqual(String what, Map<String, double[]> byBackend) {
    List<String> ids = List.copyOf(byBackend.keySet());
    for (String id : ids) {
      assertArrayEquals(byBackend.get(ids.get(0)), byBackend.get(id), what + ": " + id + " vs " + ids.get(0));
    }
  }

  private static void assertAllClose(String what, Map<String, double[]> byBackend) {
    List<String> ids = List.copyOf(byBackend.keySet());
    for (String id : ids) {
      assertClose(what + ": " + id + " vs " + ids.get(0), byBackend.get(ids.get(0)), byBackend.get(id), TOL);
    }
  }
}
