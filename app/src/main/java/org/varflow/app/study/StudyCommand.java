package org.varflow.app.study;

import jakarta.inject.Inject;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.varflow.api.SpecException;
import org.varflow.app.SpecSource;
import org.varflow.app.plugins.Plugins;
import org.varflow.app.run.ProgressBarListener;
import org.varflow.runtime.RunDirectory;
import org.varflow.runtime.RunListener;
import org.varflow.runtime.Spec;
import org.varflow.runtime.study.RateFit;
import org.varflow.runtime.study.Study;
import org.varflow.runtime.study.StudyEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code varflow study SPEC --vary KEY=V1,V2 … [--seeds K] [--metric NAME] [--jobs J] [--out DIR]}: the spec at every
 * point of the grid × seeds ({@link Study}), one progress line per finished run, then the fitted rates. Without
 * {@code --vary}, {@code --seeds} or {@code --metric}, the spec's {@code study} block gives them. Started again with
 * the same {@code --out}, it skips the completed runs and resumes the others.
 */
@Command(name = "study", description = "Run a spec over a grid of varied keys and seeds (no SPEC: the quickstart);"
    + " write study.csv and rates.json (slopes of the metric against each numeric key).")
public final class StudyCommand implements Callable<Integer> {
  /** The exit code when some run did not complete (the study's files are written all the same). */
  static final int INCOMPLETE = 3;

  private final Plugins plugins;

  @picocli.CommandLine.Spec
  CommandSpec command;

  @Mixin
  SpecSource source;

  @Option(names = "--vary", paramLabel = "KEY=V1,V2,...", description = "A key and its values; the study runs the"
      + " cartesian grid of all --vary options (default: the spec's study.vary).")
  List<String> vary = new ArrayList<>();

  @Option(names = "--seeds", paramLabel = "K", description = "Seeds per point: the spec's seed s to s + K - 1"
      + " (default: the spec's study.seeds, else 1).")
  Integer seeds;

  @Option(names = "--metric", paramLabel = "NAME", description = "The final metric the rates are fitted to (default:"
      + " the spec's study.metric, else test_risk).")
  String metric;

  @Option(names = "--jobs", paramLabel = "J", description = "Runs at a time on the local engine (default: the cores,"
      + " C); each run's backend then uses C/J threads.")
  Integer jobs;

  @Option(names = "--engine", paramLabel = "ID", defaultValue = StudyEngine.LOCAL, description = "What makes the"
      + " runs: local (default: a pool of threads here) or spark (each run a Spark task; built with -Pspark).")
  String engine;

  @Option(names = "--master", paramLabel = "URL", description = "Spark's master with --engine spark: local[N],"
      + " spark://HOST:PORT, yarn, k8s://… (default: Spark's spark.master, else local[*]).")
  String master;

  @Option(names = "--out", paramLabel = "DIR", description = "The study's directory (default runs/<time>-<spec"
      + " name>-study); an earlier study's directory continues that study.")
  Path out;

  @Inject
  StudyCommand(Plugins plugins) {
    this.plugins = plugins;
  }

  @Override
  public Integer call() throws IOException {
    int jobs = this.jobs != null ? this.jobs : Runtime.getRuntime().availableProcessors();
    if (jobs < 1) {
      throw new SpecException("--jobs", "must be at least 1, got " + jobs);
    }
    StudyEngine engine = StudyEngine.of(this.engine);
    Spec spec = source.load();
    Study.Defaults defaults = Study.defaults(spec);
    List<Study.Axis> axes = new ArrayList<>(vary.isEmpty() ? defaults.vary() : List.of());
    for (String v : vary) {
      int eq = v.indexOf('=');
      if (eq <= 0 || eq == v.length() - 1) {
        throw new SpecException("--vary " + v, "expected KEY=V1,V2,..., e.g. discretization.width=100,400,1600");
      }
      String key = v.substring(0, eq).trim();
      axes.add(new Study.Axis(key, Arrays.stream(v.substring(eq + 1).split(","))
          .map(text -> Spec.value(key, text.trim())).toList()));
    }
    if (axes.isEmpty()) {
      throw new SpecException("--vary", "a study needs one or more varied keys: --vary KEY=V1,V2,... or the spec's"
          + " study.vary, e.g. --vary discretization.width=100,400,1600");
    }
    String metric = this.metric != null ? this.metric : defaults.metric();
    Study study = Study.of(spec, axes, seeds != null ? seeds : defaults.seeds());
    // a bad key or value fails before any run
    plugins.varflow().prepare(study.spec(study.points().get(0))).close();
    if (study.reference().isPresent()) {
      plugins.varflow().prepare(study.referenceSpec(study.points().get(0).seed())).close();
    }
    Path dir = out != null ? out : RunDirectory.createUnique(Path.of("runs"), spec.name() + "-study");
    PrintWriter err = command.commandLine().getErr();
    long t0 = System.nanoTime();
    int total = study.tasks(dir).size();
    AtomicInteger incomplete = new AtomicInteger();
    // one bar for the whole study on a terminal (runs done, ETA), else one line per finished run
    ProgressBar bar = System.console() == null ? null : new ProgressBarBuilder().setTaskName("study")
        .setInitialMax(total).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).continuousUpdate().build();
    Study.Result result;
    try {
      Study.Listener progress = (o, done, points) -> {
        if (!o.status().equals("completed")) {
          incomplete.incrementAndGet();
        }
        if (bar != null) {
          bar.stepTo(done);
          bar.setExtraMessage(incomplete.get() == 0 ? "" : incomplete.get() + " not completed");
          return;
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        err.printf(Locale.ROOT, "study: %d/%d runs done (%s seed %d: %s), %.0f s elapsed, about %.0f s left%n", done,
            points, name(o.point()), o.point().seed(), o.status(), elapsed, elapsed / done * (points - done));
        err.flush();
      };
      // with --verbose on a terminal, a bar per run below the study's
      boolean bars = bar != null && Boolean.TRUE.equals(command.findOption("--verbose").getValue());
      result = study.run(engine, new StudyEngine.Setting(plugins.varflow(), Optional.of(plugins.directory()), jobs,
          master == null ? Map.of() : Map.of("master", master), progress,
          task -> bars ? new ProgressBarListener(name(task.point()) + " seed " + task.point().seed())
              : RunListener.NONE), dir, metric);
    } finally {
      if (bar != null) {
        bar.close();
      }
    }
    PrintWriter console = command.commandLine().getOut();
    List<Study.Outcome> outcomes = result.outcomes();
    long completed = outcomes.stream().filter(o -> o.status().equals("completed")).count();
    long references = result.references().stream().filter(o -> o.status().equals("completed")).count();
    console.printf("%d of %d runs completed%s%n", completed, outcomes.size(), result.references().isEmpty() ? ""
        : String.format(", %d of %d reference runs", references, result.references().size()));
    List<Study.Outcome> all = new ArrayList<>(result.references());
    all.addAll(outcomes);
    all.stream().filter(o -> !o.status().equals("completed")).forEach(o -> console.printf("  %s seed %d: %s%s%n",
        name(o.point()), o.point().seed(), o.status(), o.error().isEmpty() ? "" : ": " + o.error()));
    String quantity = study.quantity(metric);
    for (Study.Rate rate : result.rates()) {
      RateFit fit = rate.fit();
      String at = rate.fixed().isEmpty() ? "" : " at " + rate.fixed();
      console.println(fit == null ? String.format("%s against %s%s: no rate (%s)", quantity, rate.key(), at,
          rate.error()) : String.format(Locale.ROOT, "%s %s (95%%: %s, R² %.4f, %d points)%s", quantity,
              fit.law(rate.key()), Double.isNaN(fit.low()) ? "unknown with two points"
                  : String.format(Locale.ROOT, "%.3f to %.3f", fit.low(), fit.high()), fit.r2(), fit.points(), at));
    }
    console.printf("study directory: %s (study.csv, rates.json, runs/)%n", dir);
    console.flush();
    return completed == outcomes.size() && references == result.references().size() ? 0 : INCOMPLETE;
  }

  /** @return a point's varied values, or {@code reference} for a reference run (which has none) */
  private static Object name(Study.Point point) {
    return point.values().isEmpty() ? "reference" : point.values();
  }
}
