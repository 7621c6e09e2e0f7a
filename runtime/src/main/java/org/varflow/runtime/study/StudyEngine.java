package org.varflow.runtime.study;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.varflow.api.SpecException;
import org.varflow.runtime.RunListener;
import org.varflow.runtime.Varflow;

/**
 * Runs the runs of a study: {@code local}, a pool of threads in this JVM (built in), or an engine found with
 * {@link ServiceLoader} such as {@code spark} (module varflow-spark), which runs each as a task elsewhere. Wherever a
 * run goes, it is made by {@link Study#run(Varflow, Study.Task, RunListener)} into its own directory below the
 * study's, so that every engine gives the same directories and numbers and a study interrupted under one engine goes
 * on under another. The study writes its files from the outcomes.
 *
 * <p>An engine is a {@code provides org.varflow.runtime.study.StudyEngine with …} of a module, or a line in
 * {@code META-INF/services/org.varflow.runtime.study.StudyEngine} of a jar on the class path.
 */
public interface StudyEngine {
  /** The built-in engine's id. */
  String LOCAL = "local";

  /** @return the engine's id, as {@code --engine} takes it */
  String id();

  /**
   * Runs the tasks, each with {@link Study#run(Varflow, Study.Task, RunListener)} where it runs, and calls the
   * setting's listener as they finish (one call at a time).
   *
   * @param tasks the runs to make
   * @param setting what they run with
   * @return one outcome per task, in the order of {@code tasks}
   * @throws IOException if the engine cannot run them (it cannot start, it was interrupted)
   */
  List<Study.Outcome> run(List<Study.Task> tasks, Setting setting) throws IOException;

  /**
   * What the runs of a study are made with.
   *
   * @param varflow the plugins of this JVM
   * @param plugins the plugin folder they came from, which an engine that runs elsewhere loads there; empty for none
   * @param jobs runs at a time in this JVM (the local engine), ≥ 1
   * @param options the engine's own options, e.g. {@code master} for Spark; each engine refuses those it does not know
   * @param listener told of each finished run
   * @param runs a listener for each run made in this JVM (a progress bar), {@link RunListener#NONE} for none; an
   *     engine that runs elsewhere tells only {@code listener}
   */
  record Setting(Varflow varflow, Optional<Path> plugins, int jobs, Map<String, String> options,
      Study.Listener listener, Function<Study.Task, RunListener> runs) {}

  /**
   * @param id an engine's id
   * @return the engine: {@code local}, or the one of that id found with {@link ServiceLoader}
   * @throws SpecException naming {@code --engine} and the engines installed when there is none of that id
   */
  static StudyEngine of(String id) {
    List<StudyEngine> all = new ArrayList<>(List.of(new LocalEngine()));
    ServiceLoader.load(StudyEngine.class, StudyEngine.class.getClassLoader()).forEach(all::add);
    return all.stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow(() -> new SpecException("--engine",
        "no study engine '" + id + "' here; installed: " + all.stream().map(StudyEngine::id)
            .collect(Collectors.joining(", ")) + (id.equals("spark") ? " (spark: build it with ./mvnw -B -Pspark"
            + " -DskipTests package and start the study with ./varflow, which runs it in Spark's JVM)" : "")));
  }
}
