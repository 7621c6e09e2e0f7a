package org.varflow.runtime.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.SpecException;
import org.varflow.api.plugin.Plugin;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.api.plugin.Refusal;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.Loss;
import org.varflow.api.problem.ModelKind;
import org.varflow.api.problem.Regularizer;
import org.varflow.api.problem.RegularizerKind;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.runtime.Spec;

/**
 * Builds the continuous problem from the {@code model} and {@code regularizers} nodes of a spec with the
 * installed model and regularizer kinds: each node is checked against its kind's declared options, the
 * kind builds the model or regularizer, and every regularizer may refuse the whole problem.
 */
public final class Problems {
  /**
   * @param problem the problem
   * @param kind the kind of its model (it names the default discretization)
   */
  public record Built(VariationalProblem problem, ModelKind kind) {}

  private Problems() {}

  /**
   * @param baseDir the directory relative paths in the nodes resolve against
   * @return the problem with squared loss over {@code train}, and its model's kind
   * @throws SpecException naming the bad key
   */
  public static Built build(Options root, Dataset train, Dataset test, PluginRegistry registry, Path baseDir) {
    Options node = root.subOrEmpty("model");
    ModelKind kind = kind(node, Spec.DEFAULT_MODEL, registry.models());
    declared(kind).apply(node, baseDir);
    List<RegularizerKind> kinds = new ArrayList<>();
    List<Regularizer> regularizers = new ArrayList<>();
    for (Options r : root.list("regularizers")) {
      RegularizerKind regularizer = kind(r, null, registry.regularizers());
      declared(regularizer).apply(r, baseDir);
      kinds.add(regularizer);
      regularizers.add(regularizer.create(r));
    }
    VariationalProblem problem = new VariationalProblem(train, test, kind.create(node, train), Loss.SQUARED, regularizers);
    for (int i = 0; i < kinds.size(); i++) {
      Refusal.require(kinds.get(i).refusal(problem, i));
    }
    return new Built(problem, kind);
  }

  /** @return the options of a plugin's node: {@code kind} (its id), then the plugin's own */
  public static OptionSchema declared(Plugin plugin) {
    return OptionSchema.builder().string("kind", plugin.id(), "the plugin").include(plugin.options()).build();
  }

  /**
   * @param def the kind when the node gives none, or null when {@code kind} is required
   * @return the installed plugin named by the node's {@code kind}
   * @throws SpecException naming {@code kind} when it is missing or not installed, listing the installed ones
   */
  private static <T extends Plugin> T kind(Options node, String def, List<T> installed) {
    String id = def == null ? node.requireString("kind") : node.getString("kind", def);
    return installed.stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow(() -> new SpecException(
        node.keyPath("kind"), "'" + id + "' is not one of " + installed.stream().map(Plugin::id)
            .collect(Collectors.joining(", ")) + " (the installed ones)"));
  }
}
