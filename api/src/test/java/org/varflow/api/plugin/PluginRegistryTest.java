package org.varflow.api.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.varflow.api.Options;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.solve.SolveContext;
import org.varflow.api.solve.SolveResult;
import org.varflow.api.solve.Solver;
import org.varflow.api.tensor.Backend;
import org.varflow.api.tensor.TensorFactory;

class PluginRegistryTest {

  record FakeBackend(String id, int priority, Optional<String> unavailableReason) implements Backend {
    @Override
    public String description() {
      return "fake";
    }

    @Override
    public String describe() {
      return "fake";
    }

    @Override
    public TensorFactory tensors() {
      throw new UnsupportedOperationException();
    }
  }

  record FakeSolver(String id) implements Solver {
    @Override
    public String description() {
      return "fake";
    }

    @Override
    public SolveResult solve(SolveContext context) {
      return new SolveResult(0, 0, false);
    }
  }

  @Test
  void duplicateIdsFailNamingBothProviders() {
    assertThatThrownBy(() -> PluginRegistry.of(List.of(new FakeSolver("euler"), new FakeSolver("euler"))))
        .isInstanceOf(PluginException.class)
        .hasMessageStartingWith("duplicate solver id 'euler': provided by module org.varflow.api")
        .hasMessageContaining(" and by module org.varflow.api")
        .hasMessageContaining(FakeSolver.class.getName())
        .hasMessageEndingWith("remove one of them from the module path");
  }

  @Test
  void sameIdInDifferentKindsIsFine() {
    PluginRegistry r = PluginRegistry.of(List.of(new FakeSolver("x"), new FakeBackend("x", 1, Optional.empty())));
    assertThat(r.solver("x").id()).isEqualTo("x");
    assertThat(r.backend("x").id()).isEqualTo("x");
  }

  @Test
  void missingPluginListsTheInstalledOnesWithoutGuessingAModule() {
    PluginRegistry r = PluginRegistry.of(List.of(new FakeSolver("explicit-euler")));
    assertThatThrownBy(() -> r.discretization("random-features"))
        .isInstanceOf(PluginException.class)
        .hasMessage("no discretization with id 'random-features' (installed: none); put the jar of the plugin that"
            + " provides it into ./plugins/ (or --plugins DIR), or its module on the module path");
    assertThatThrownBy(() -> r.backend("nd4j-cpu")).hasMessageStartingWith("no backend with id 'nd4j-cpu' (installed: none)")
        .hasMessageNotContaining("org.varflow");
    assertThatThrownBy(() -> r.solver("implicit-euler")).hasMessageContaining("(installed: explicit-euler);");
  }

  @Test
  void autoPicksTheAvailableBackendOfHighestPriority() {
    PluginRegistry r = PluginRegistry.of(List.of(
        new FakeBackend("slow", 10, Optional.empty()),
        new FakeBackend("gpu", 1000, Optional.of("no CUDA device")),
        new FakeBackend("fast", 100, Optional.empty())));
    assertThat(r.backends()).extracting(Backend::id).containsExactly("gpu", "fast", "slow");
    assertThat(r.backend("auto").id()).isEqualTo("fast");
    assertThat(r.backend("slow").id()).isEqualTo("slow");
    assertThatThrownBy(() -> r.backend("gpu")).isInstanceOf(PluginException.class)
        .hasMessage("backend 'gpu' cannot run here: no CUDA device");
  }

  @Test
  void autoWithoutAnyAvailableBackendSaysWhy() {
    PluginRegistry r = PluginRegistry.of(List.of(new FakeBackend("gpu", 1000, Optional.of("no CUDA device"))));
    assertThatThrownBy(() -> r.backend("auto")).isInstanceOf(PluginException.class)
        .hasMessage("no available backend among [gpu (no CUDA device)]; put a backend's jar into ./plugins/ (varflow ships"
            + " jvm, which runs everywhere)");
  }

  @Test
  void describeListsModuleAndStatus() {
    PluginRegistry r = PluginRegistry.of(List.of(new FakeBackend("gpu", 1, Optional.of("no device")), new FakeSolver("s")));
    assertThat(r.describe()).extracting(PluginInfo::kind, PluginInfo::id, PluginInfo::module, PluginInfo::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("backend", "gpu", "org.varflow.api", "unavailable: no device"),
            org.assertj.core.groups.Tuple.tuple("solver", "s", "org.varflow.api", "available"));
  }

  /** The warning about a plugin skipped before its kind was known reads "a plugin", not "a plugin plugin". */
  @Test
  void skippedPluginsAreNamedByKind() {
    assertThat(PluginRegistry.skipped(new PluginInfo("plugin", "?", "?", "missing", "/p/missing", "",
        "broken: its modules do not resolve")))
        .isEqualTo("skipped a plugin from missing (/p/missing): broken: its modules do not resolve");
    assertThat(PluginRegistry.skipped(new PluginInfo("solver", "?", "?", "org.example.bad", "/p/bad.jar", "",
        "broken: no licence")))
        .isEqualTo("skipped a solver plugin from org.example.bad (/p/bad.jar): broken: no licence");
  }
}
