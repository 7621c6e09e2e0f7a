package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Discretization;
import org.varflow.api.flow.FlowContext;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.api.plugin.Refusal;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.Loss;
import org.varflow.api.problem.Model;
import org.varflow.api.problem.ModelKind;
import org.varflow.api.problem.Regularizer;
import org.varflow.api.problem.RegularizerKind;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.solve.Solver;
import org.varflow.api.tensor.Precision;
import org.varflow.app.plugins.Plugins;

/**
 * Whole-problem acceptance: every built-in discretization answers for every built-in model with every
 * built-in regularizer, and every solver for every flow; nothing it does not compute is dropped silently.
 */
class AcceptanceTest {
  private static final PluginRegistry REGISTRY = new Plugins().registry();
  /** The model and the regularizers each discretization computes. */
  private static final Map<String, List<String>> COMPUTES = Map.of(
      "particles", List.of("two-layer", "weight-decay"),
      "smoothed-particles", List.of("two-layer", "weight-decay"),
      "conic-particles", List.of("two-layer", "weight-decay"),
      "random-features", List.of("random-features", "tikhonov"),
      "kernel", List.of("random-features", "tikhonov"),
      "grid", List.of("density", "sobolev"),
      "spectral", List.of("density", "sobolev"),
      "resnet", List.of("flow", "weight-decay"),
      "flow-random-features", List.of("flow", "weight-decay"));
  private static final Dataset DATA = data();

  @Test
  void everyDiscretizationAnswersForEveryModelAndRegularizer() {
    assertThat(REGISTRY.discretizations()).extracting(Discretization::id).containsExactlyInAnyOrderElementsOf(COMPUTES.keySet());
    for (Discretization d : REGISTRY.discretizations()) {
      for (ModelKind m : REGISTRY.models()) {
        Model model = m.create(m.options().node("model", Map.of()), DATA);
        boolean modelFits = COMPUTES.get(d.id()).get(0).equals(m.id());
        Optional<Refusal> bare = d.refusal(new VariationalProblem(DATA, null, model, Loss.SQUARED, List.of()));
        assertThat(bare).as("%s with %s and no regularizer", d.id(), m.id())
            .isEqualTo(modelFits ? Optional.empty() : Optional.of(new Refusal("model.kind",
                "'" + m.id() + "' is not supported by discretization '" + d.id() + "'")));
        for (RegularizerKind r : REGISTRY.regularizers()) {
          Regularizer regularizer = r.create(r.options().node("regularizers[1]",
              Map.of(r.options().option("strength").isPresent() ? "strength" : "temperature", 0.1)));
          VariationalProblem problem = new VariationalProblem(DATA, null, model, Loss.SQUARED,
              List.of(regularizer, regularizer));
          Optional<Refusal> refusal = d.refusal(problem);
          String what = d.id() + " with " + m.id() + " and " + r.id();
          if (!modelFits) {
            assertThat(refusal).as(what).map(Refusal::key).contains("model.kind");
          } else if (COMPUTES.get(d.id()).get(1).equals(r.id())) {
            assertThat(refusal).as(what).isEmpty();
          } else {
            assertThat(refusal).as(what).map(Refusal::toString).hasValueSatisfying(message -> assertThat(message)
                .startsWith("regularizers[0].kind: '" + r.id() + "' is not supported by discretization '" + d.id()
                    + "' (it takes ").contains(COMPUTES.get(d.id()).get(1)).endsWith(")"));
          }
        }
      }
    }
  }

  @Test
  void eachSolverRefusesExactlyTheFlowsWithoutWhatItNeeds() {
    for (Discretization d : REGISTRY.discretizations()) {
      ModelKind m = REGISTRY.model(COMPUTES.get(d.id()).get(0));
      VariationalProblem problem = new VariationalProblem(DATA, null, m.create(m.options().node("model", Map.of()), DATA),
          Loss.SQUARED, List.of());
      Map<String, ?> small = Map.of("particles", Map.of("width", 8), "smoothed-particles", Map.of("width", 8),
          "conic-particles", Map.of("width", 8), "random-features", Map.of("width", 8), "grid", Map.of("points", 5),
          "spectral", Map.of("degree", 3), "resnet", Map.of("depth", 2, "width", 4), "flow-random-features",
          Map.of("depth", 2, "width", 4)).getOrDefault(d.id(), Map.of());
      // the flows of a residual network are particle clouds too (L·M particles of equal mass), and not quadratic
      boolean particles = d.id().endsWith("particles") || COMPUTES.get(d.id()).get(0).equals("flow");
      try (DiscreteFlow flow = d.discretize(problem, small, new FlowContext(REGISTRY.backend("jvm"), Precision.FLOAT64, 1))) {
        for (Solver s : REGISTRY.solvers()) {
          // stationary needs linear structure; sgd mini-batches, langevin particles, sav particles of equal mass
          boolean refuses = switch (s.id()) {
            case "stationary" -> particles;
            case "sgd", "langevin" -> !particles;
            case "sav" -> !particles || d.id().equals("conic-particles");
            default -> false;
          };
          assertThat(s.refusal(problem, flow)).as("%s on %s", s.id(), d.id()).map(Refusal::key)
              .isEqualTo(refuses ? Optional.of("solver.kind") : Optional.empty());
        }
      }
    }
  }

  /** The quickstart with a Sobolev term: particles cannot compute it, and the run says so instead of dropping it. */
  @Test
  void aRegularizerTheDiscretizationDoesNotComputeStopsTheRunNamingTheKey() {
    Cli cli = Cli.run("run", "--set", "backend=jvm", "--set", "regularizers=[{kind: sobolev, strength: 0.5}]");
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).isEqualTo("error: regularizers[0].kind: 'sobolev' is not supported by discretization 'particles'"
        + " (it takes regularizers that are particle potentials, such as weight-decay); no installed discretization"
        + " computes this problem\n");
    Cli density = Cli.run("run", "--set", "backend=jvm", "--set", "model={kind: density}", "--set", "regularizers=[]",
        "--set", "discretization={kind: particles}");
    assertThat(density.exitCode()).isEqualTo(2);
    assertThat(density.err()).isEqualTo("error: model.kind: 'density' is not supported by discretization 'particles';"
        + " discretizations that compute this problem: grid, spectral\n");
    Cli stationary = Cli.run("run", "--set", "backend=jvm", "--set", "solver={kind: stationary}");
    assertThat(stationary.exitCode()).isEqualTo(2);
    assertThat(stationary.err()).isEqualTo("error: solver.kind: the stationary solver needs an energy that is quadratic"
        + " in one state tensor, and this discretization's is not; use explicit-euler (or implicit-euler) instead\n");
  }

  private static Dataset data() {
    SplittableRandom rng = new SplittableRandom(3);
    int n = 20;
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = rng.nextGaussian();
      y[i] = Math.sin(x[i]);
    }
    return new Dataset("acceptance", n, 1, x, y);
  }
}
