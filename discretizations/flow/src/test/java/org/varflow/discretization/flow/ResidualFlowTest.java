package org.varflow.discretization.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.varflow.discretization.flow.Fixtures.flow;
import static org.varflow.discretization.flow.Fixtures.problem;
import static org.varflow.discretization.flow.Fixtures.set;
import static org.varflow.discretization.testkit.Measures.maxRelativeDifference;
import static org.varflow.discretization.testkit.Measures.slope;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.varflow.api.SpecException;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Evaluation;
import org.varflow.api.io.Npy;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.solve.StepRecord;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.discretization.testkit.DensityFixtures;
import org.varflow.model.flow.FlowModel;

/**
 * The flow discretizations against theory, in float64 on the jvm and nd4j-cpu backends: the discrete adjoint against
 * central differences, the order of the depth schemes, the one-layer residual form by hand, training, the frozen w,
 * the (L, M, D) files, and agreement of the backends.
 */
class ResidualFlowTest {
  private static final List<String> BACKENDS = List.of("jvm", "nd4j-cpu");
  private static final List<String> IDS = List.of("resnet", "flow-random-features");

  static Stream<Arguments> backendsIdsSchemes() {
    return BACKENDS.stream().flatMap(b -> IDS.stream().flatMap(id -> Stream.of("euler", "heun")
        .map(scheme -> Arguments.of(b, id, scheme))));
  }

  /** −v/(LM) equals ∇E from central differences in every coordinate, relative to the largest |∂E/∂θ|, to 1e-6. */
  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("backendsIdsSchemes")
  void adjointGradientIsTheCentralDifference(String backend, String id, String scheme) {
    int depth = 3;
    int width = 2;
    try (DiscreteFlow flow = flow(id, backend, problem(3, FlowModel.Embedding.RANDOM, true),
        Map.of("depth", depth, "width", width, "depth_scheme", scheme), Precision.FLOAT64)) {
      Map<String, Tensor> velocity = flow.evaluate(true).velocity();
      assertThat(velocity.keySet()).isEqualTo(id.equals("resnet") ? java.util.Set.of("a", "W") : java.util.Set.of("a"));
      double largest = 0;
      double error = 0;
      for (Map.Entry<String, Tensor> e : velocity.entrySet()) {
        Tensor t = flow.state().get(e.getKey());
        double[] theta = t.toDoubleArray();
        double[] v = e.getValue().toDoubleArray();
        e.getValue().release();
        for (int i = 0; i < theta.length; i++) {
          double eps = 1e-5 * Math.max(1, Math.abs(theta[i]));
          double[] moved = theta.clone();
          moved[i] = theta[i] + eps;
          set(t, moved);
          double up = flow.evaluate(false).energy();
          moved[i] = theta[i] - eps;
          set(t, moved);
          double down = flow.evaluate(false).energy();
          double gradient = (up - down) / (2 * eps);
          largest = Math.max(largest, Math.abs(gradient));
          error = Math.max(error, Math.abs(gradient + v[i] / (depth * width)));
        }
        set(t, theta);
      }
      System.out.printf("adjoint vs central differences %s %s %s: max |∇E + v/LM| / max |∇E| = %.3g%n", backend, id,
          scheme, error / largest);
      assertThat(error / largest).isLessThanOrEqualTo(1e-6);
    }
  }

  /**
   * With the parameters sampling a fixed smooth path (a, w)(τ) at the layer midpoints, the output converges as L grows
   * at the scheme's order (log–log slope against a Heun solution at L = 4096, within ±0.25): 1 for Euler, 2 for Heun.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("schemesAndOrders")
  void outputConvergesInDepthAtTheSchemesOrder(String scheme, double order) {
    VariationalProblem problem = problem(2, FlowModel.Embedding.IDENTITY, false);
    double[] reference = pathOutput(problem, "heun", 4096);
    int[] depths = {16, 32, 64, 128, 256};
    double[] logL = new double[depths.length];
    double[] logError = new double[depths.length];
    for (int k = 0; k < depths.length; k++) {
      logL[k] = Math.log(depths[k]);
      logError[k] = Math.log(maxRelativeDifference(pathOutput(problem, scheme, depths[k]), reference));
    }
    double slope = slope(logL, logError);
    System.out.printf("depth scheme %s: output error at L = 16…256 %s, fitted order %.3f%n", scheme,
        Stream.of(0, 1, 2, 3, 4).map(k -> String.format("%.3g", Math.exp(logError[k]))).toList(), -slope);
    assertThat(-slope).isBetween(order - 0.25, order + 0.25);
  }

  static Stream<Arguments> schemesAndOrders() {
    return Stream.of(Arguments.of("euler", 1.0), Arguments.of("heun", 2.0));
  }

  /**
   * @return f on the training inputs of the resnet of depth L whose two particles per layer sample, at τ = (l + ½)/L,
   *     a_j(τ) = (cos(2πτ + j), sin(πτ + j/2)) and w_j(τ) = (sin(2πτ + j) + 0.3, cos(πτ − j))
   */
  private static double[] pathOutput(VariationalProblem problem, String scheme, int depth) {
    int width = 2;
    double[] a = new double[depth * width * 2];
    double[] w = new double[depth * width * 2];
    for (int l = 0; l < depth; l++) {
      double tau = (l + 0.5) / depth;
      for (int j = 0; j < width; j++) {
        int row = 2 * (l * width + j);
        a[row] = Math.cos(2 * Math.PI * tau + j);
        a[row + 1] = Math.sin(Math.PI * tau + 0.5 * j);
        w[row] = Math.sin(2 * Math.PI * tau + j) + 0.3;
        w[row + 1] = Math.cos(Math.PI * tau - j);
      }
    }
    try (DiscreteFlow flow = flow("resnet", "jvm", problem, Map.of("depth", depth, "width", width, "depth_scheme",
        scheme), Precision.FLOAT64)) {
      set(flow.state().get("a"), a);
      set(flow.state().get("W"), w);
      return flow.predict(problem.train());
    }
  }

  /** With L = 1, f(x) = 1ᵀ(z + (1/M) Σ_j a_j σ(w_j·z)), z = (x, 0), computed here by hand. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void oneLayerIsTheResidualForm(String backend) {
    int width = 3;
    int dim = 3;
    VariationalProblem problem = problem(dim, FlowModel.Embedding.IDENTITY, false);
    try (DiscreteFlow flow = flow("resnet", backend, problem, Map.of("depth", 1, "width", width), Precision.FLOAT64)) {
      double[] a = flow.state().get("a").toDoubleArray();
      double[] w = flow.state().get("W").toDoubleArray();
      Dataset data = problem.train();
      double[] expected = new double[data.n()];
      for (int i = 0; i < data.n(); i++) {
        double[] z = {data.x()[2 * i], data.x()[2 * i + 1], 0};
        double[] next = z.clone();
        for (int j = 0; j < width; j++) {
          double s = 0;
          for (int k = 0; k < dim; k++) {
            s += w[j * dim + k] * z[k];
          }
          for (int k = 0; k < dim; k++) {
            next[k] += a[j * dim + k] * Math.tanh(s) / width;
          }
        }
        expected[i] = next[0] + next[1] + next[2];
      }
      assertThat(maxRelativeDifference(flow.predict(data), expected)).isLessThanOrEqualTo(1e-14);
    }
  }

  static Stream<String> backends() {
    return BACKENDS.stream();
  }

  static Stream<Arguments> backendsAndIds() {
    return BACKENDS.stream().flatMap(b -> IDS.stream().map(id -> Arguments.of(b, id)));
  }

  /** Explicit Euler (gradient descent with learning rate h·LM) lowers the energy at every step. */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("backendsAndIds")
  void explicitEulerDecreasesTheEnergy(String backend, String id) {
    VariationalProblem problem = problem(3, FlowModel.Embedding.IDENTITY, true);
    try (DiscreteFlow flow = flow(id, backend, problem, Map.of("depth", 4, "width", 8), Precision.FLOAT64)) {
      double[] w = flow.parameters().get("W").toDoubleArray();
      List<Double> energies = new ArrayList<>();
      Fixtures.REGISTRY.solver("explicit-euler").solve(flow, Map.of("step", 0.05, "steps", 60, "record_every", 1),
          (StepRecord r) -> energies.add(r.evaluation().energy()));
      for (int k = 1; k < energies.size(); k++) {
        assertThat(energies.get(k)).as("energy at step %d", k).isLessThan(energies.get(k - 1));
      }
      System.out.printf("explicit Euler %s %s: energy %.6g → %.6g in 60 steps%n", backend, id, energies.get(0),
          energies.get(energies.size() - 1));
      if (id.equals("flow-random-features")) {
        assertThat(flow.parameters().get("W").toDoubleArray()).as("the frozen w, bit for bit").isEqualTo(w);
      }
    }
  }

  /** The saved parameters are a.npy and W.npy of shape (L, M, D) and V.npy (D, d); a flow started from them agrees. */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("backendsAndIds")
  void rankThreeParametersRoundTrip(String backend, String id, @TempDir Path dir) throws Exception {
    VariationalProblem problem = problem(4, FlowModel.Embedding.RANDOM, false);
    Map<String, Object> options = Map.of("depth", 3, "width", 5, "depth_scheme", "heun");
    double[] expected;
    try (DiscreteFlow flow = flow(id, backend, problem, options, Precision.FLOAT64)) {
      Fixtures.REGISTRY.solver("explicit-euler").solve(flow, Map.of("step", 0.05, "steps", 3), (StepRecord r) -> true);
      expected = flow.predict(problem.train());
      for (Map.Entry<String, Tensor> e : flow.parameters().entrySet()) {
        Npy.write(dir.resolve(e.getKey() + ".npy"), e.getValue().toDoubleArray(), flow.shape(e.getKey(), e.getValue()),
            Precision.FLOAT64);
        e.getValue().release();
      }
    }
    assertThat(Npy.read(dir.resolve("a.npy")).shape()).containsExactly(3, 5, 4);
    assertThat(Npy.read(dir.resolve("W.npy")).shape()).containsExactly(3, 5, 4);
    assertThat(Npy.read(dir.resolve("V.npy")).shape()).containsExactly(4, 2);
    Map<String, Object> fromFiles = Map.of("depth_scheme", "heun", "init", Map.of("npy", dir.toString()));
    try (DiscreteFlow flow = flow(id, backend, problem, fromFiles, Precision.FLOAT64)) {
      assertThat(flow.predict(problem.train())).isEqualTo(expected);
    }
    Npy.write(dir.resolve("W.npy"), new double[3 * 5 * 3], new int[] {3, 5, 3}, Precision.FLOAT64);
    assertThatThrownBy(() -> flow(id, backend, problem, fromFiles, Precision.FLOAT64)).isInstanceOf(SpecException.class)
        .hasMessageContaining(dir.resolve("W.npy").toString()).hasMessageContaining("[3, 5, 3]")
        .hasMessageContaining("[3, 5, 4]");
  }

  /** Energy, velocity and predictions agree on jvm and nd4j-cpu to 1e-10 relative, for both ids and schemes. */
  @ParameterizedTest(name = "{1} {2}")
  @MethodSource("backendsIdsSchemes")
  void backendsAgree(String unused, String id, String scheme) {
    if (!unused.equals("jvm")) {
      return;
    }
    VariationalProblem problem = problem(5, FlowModel.Embedding.RANDOM, true);
    Map<String, Object> options = Map.of("depth", 6, "width", 7, "depth_scheme", scheme);
    List<Map<String, double[]>> numbers = new ArrayList<>();
    for (String backend : BACKENDS) {
      try (DiscreteFlow flow = flow(id, backend, problem, options, Precision.FLOAT64)) {
        Evaluation e = flow.evaluate(true);
        Map<String, double[]> out = new java.util.LinkedHashMap<>();
        out.put("energy", new double[] {e.energy()});
        e.velocity().forEach((name, v) -> out.put(name, v.toDoubleArray()));
        e.velocity().values().forEach(Tensor::release);
        out.put("f", flow.predict(problem.train()));
        numbers.add(out);
      }
    }
    double worst = 0;
    for (String key : numbers.get(0).keySet()) {
      worst = Math.max(worst, maxRelativeDifference(numbers.get(1).get(key), numbers.get(0).get(key)));
    }
    System.out.printf("jvm vs nd4j-cpu %s %s: max relative difference %.3g%n", id, scheme, worst);
    assertThat(worst).isLessThanOrEqualTo(1e-10);
  }

  /** float32 computes the same flow, to float32's round-off. */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("backendsAndIds")
  void float32AgreesWithFloat64(String backend, String id) {
    VariationalProblem problem = problem(3, FlowModel.Embedding.RANDOM, true);
    Map<String, Object> options = Map.of("depth", 4, "width", 6, "depth_scheme", "heun");
    List<double[]> velocities = new ArrayList<>();
    for (Precision precision : List.of(Precision.FLOAT64, Precision.FLOAT32)) {
      try (DiscreteFlow flow = flow(id, backend, problem, options, precision)) {
        Tensor v = flow.evaluate(true).velocity().get("a");
        velocities.add(v.toDoubleArray());
        v.release();
      }
    }
    assertThat(maxRelativeDifference(velocities.get(1), velocities.get(0))).isLessThanOrEqualTo(1e-4);
  }

  /** The geometry each flow declares for the well-posedness report; particles of L·M equal masses. */
  @Test
  void declaresItsGeometryAndParticles() {
    VariationalProblem problem = problem(3, FlowModel.Embedding.IDENTITY, false);
    try (DiscreteFlow resnet = flow("resnet", "jvm", problem, Map.of("depth", 2, "width", 3), Precision.FLOAT64);
        DiscreteFlow features = flow("flow-random-features", "jvm", problem, Map.of(), Precision.FLOAT64)) {
      assertThat(resnet.geometry()).startsWith("L² over the layer-indexed parameters (a, w)(τ)");
      assertThat(features.geometry()).contains("w frozen");
      assertThat(resnet.particles().orElseThrow().count()).isEqualTo(6);
      assertThat(resnet.particles().orElseThrow().positions()).containsExactly("a", "W");
      assertThat(features.particles().orElseThrow().positions()).containsExactly("a");
      assertThat(features.shape("a", features.state().get("a"))).containsExactly(8, 16, 3);
    }
  }

  /** Regularizers other than weight decay are refused, naming the key and why. */
  @Test
  void refusesWhatItDoesNotCompute() {
    VariationalProblem problem = new VariationalProblem(DensityFixtures.data(4, 2, 42), null,
        new FlowModel(Activation.TANH, 2, FlowModel.Embedding.IDENTITY), org.varflow.api.problem.Loss.SQUARED,
        List.of(new org.varflow.api.problem.Tikhonov(0.1)));
    assertThat(Fixtures.discretization("resnet").refusal(problem)).hasValueSatisfying(r -> {
      assertThat(r.key()).isEqualTo("regularizers[0].kind");
      assertThat(r.reason()).contains("'tikhonov' is not supported by discretization 'resnet'", "weight-decay");
    });
  }
}
