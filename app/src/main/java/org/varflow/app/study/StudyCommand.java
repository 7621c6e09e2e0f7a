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
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.varflow.api.SpecException;
import org.varflow.app.SpecSource;
import org.varflow.app.plugins.Plugins;
import org.varflow.runtime.RunDirectory;
import org.varflow.runtime.Spec;
import org.varflow.runtime.study.LogLogFit;
import org.varflow.runtime.study.Study;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code varflow study SPEC --vary KEY=V1,V2 … [--seeds K] [--metric NAME] [--jobs J] [--out DIR]}: the spec at every
 * point of the grid × seeds ({@link Study}), one progress line per finished run, then the fitted rates. Started again
 * with the same {@code --out}, it skips the completed runs and resumes the others.
 */
@Command(name = "study", description = "Run a spec over a grid of varied keys and seeds (no SPEC: the quickstart);"
    + " write study.csv and rates.json (log-log slopes of the metric against each numeric key).")
public final class StudyCommand implements Callable<Integer> {
  /** The exit code when some run did not complete (the study's files are written all the same). */
  static final int INCOMPLETE = 3;

  private final Plugins plugins;

  @picocli.CommandLine.Spec
  CommandSpec command;

  @Mixin
  SpecSource source;

  @Option(names = "--vary", paramLabel = "KEY=V1,V2,...", required = true, description = "A key and its values; the"
      + " study runs the cartesian grid of all --vary options.")
  List<String> vary = new ArrayList<>();

  @Option(names = "--seeds", paramLabel = "K", defaultValue = "1", description = "Seeds per point: the spec's seed s"
      + " to s + K - 1 (default: ${DEFAULT-VALUE}).")
  int seeds;

  @Option(names = "--metric", paramLabel = "NAME", defaultValue = "test_risk", description = "The final metric the"
      + " rates are fitted to (default: ${DEFAULT-VALUE}).")
  String metric;

  @Option(names = "--jobs", paramLabel = "J", defaultValue = "1", description = "Runs at a time (default:"
      + " ${DEFAULT-VALUE}: a run's backend already uses every core).")
  int jobs;

  @Option(names = "--out", paramLabel = "DIR", description = "The study's directory (default runs/<time>-<spec"
      + " name>-study); an earlier study's directory continues that study.")
  Path out;

  @Inject
  StudyCommand(Plugins plugins) {
    this.plugins = plugins;
  }

  @Override
  public Integer call() throws IOException {
    if (jobs < 1) {
      throw new SpecException("--jobs", "must be at least 1, got " + jobs);
    }
    Spec spec = source.load();
    List<Study.Axis> axes = new ArrayList<>();
    for (String v : vary) {
      int eq = v.indexOf('=');
      if (eq <= 0 || eq == v.length() - 1) {
        throw new SpecException("--vary " + v, "expected KEY=V1,V2,..., e.g. discretization.width=100,400,1600");
      }
      String key = v.substring(0, eq).trim();
      axes.add(new Study.Axis(key, Arrays.stream(v.substring(eq + 1).split(","))
          .map(text -> Spec.value(key, text.trim())).toList()));
    }
    Study study = Study.of(spec, axes, seeds);
    plugins.varflow().prepare(study.spec(study.points().get(0))).close(); // a bad key or value fails before any run
    Path dir = out != null ? out : RunDirectory.createUnique(Path.of("runs"), spec.name() + "-study");
    PrintWriter err = command.commandLine().getErr();
    long t0 = System.nanoTime();
    int total = study.points().size();
    AtomicInteger incomplete = new AtomicInteger();
    // one bar for the whole study on a terminal (runs done, ETA), else one line per finished run
    ProgressBar bar = System.console() == null ? null : new ProgressBarBuilder().setTaskName("study")
        .setInitialMax(total).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).continuousUpdate().build();
    Study.Result result;
    try {
      result = study.run(plugins.varflow(), dir, jobs, metric, (o, done, points) -> {
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
            points, o.point().values(), o.point().seed(), o.status(), elapsed, elapsed / done * (points - done));
        err.flush();
      });
    } finally {
      if (bar != null) {
        bar.close();
      }
    }
    PrintWriter console = command.commandLine().getOut();
    List<Study.Outcome> outcomes = result.outcomes();
    long completed = outcomes.stream().filter(o -> o.status().equals("completed")).count();
    console.printf("%d of %d runs completed%n", completed, outcomes.size());
    outcomes.stream().filter(o -> !o.status().equals("completed")).forEach(o -> console.printf("  %s seed %d: %s%s%n",
        o.point().values(), o.point().seed(), o.status(), o.error().isEmpty() ? "" : ": " + o.error()));
    for (Study.Rate rate : result.rates()) {
      LogLogFit fit = rate.fit();
      String at = rate.fixed().isEmpty() ? "" : " at " + rate.fixed();
      console.println(fit == null ? String.format("%s against %s%s: no rate (%s)", metric, rate.key(), at, rate.error())
          : String.format(Locale.ROOT, "%s ~ %s^%.3f (95%%: %s, R² %.4f, %d points)%s", metric, rate.key(),
              fit.slope(), Double.isNaN(fit.low()) ? "unknown with two points"
                  : String.format(Locale.ROOT, "%.3f to %.3f", fit.low(), fit.high()), fit.r2(), fit.points(), at));
    }
    console.printf("study directory: %s (study.csv, rates.json, runs/)%n", dir);
    console.flush();
    return completed == outcomes.size() ? 0 : INCOMPLETE;
  }
}
