package org.varflow.runtime.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.varflow.api.SpecException;
import org.varflow.api.io.AtomicFiles;
import org.varflow.runtime.Run;
import org.varflow.runtime.RunDirectory;
import org.varflow.runtime.RunListener;
import org.varflow.runtime.RunResult;
import org.varflow.runtime.Spec;
import org.varflow.runtime.Varflow;

/**
 * A study: a base spec run at every point of the grid of varied keys × seeds, each point a normal run directory
 * ({@code runs/KEY=V,KEY2=V2/seed-S} below the study's directory), in parallel up to a number of jobs. It writes
 * {@code study.csv} (one row per run: the varied keys, seed, status, final metrics, wall time, error),
 * {@code rates.json} (for each numeric varied key and each combination of the other keys, the log–log slope of the
 * metric's seed mean against the key, {@link LogLogFit}) and a plot of each rate in {@code plots/}. Started again on the same directory, it takes the completed
 * runs as they are, resumes the others from their last checkpoint (or starts them again when they have none), so
 * nothing is counted twice. A point that fails is listed with its error; the others go on.
 *
 * <p>Runs share one {@link Varflow} and the base spec, as its thread-safety rule allows.
 */
public final class Study {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Spec base;
  private final List<Axis> axes;
  private final int seeds;

  /**
   * A varied key and its values.
   *
   * @param key a spec key as {@code --set} takes it, e.g. {@code discretization.width}
   * @param values its values in order (numbers, text, …)
   */
  public record Axis(String key, List<Object> values) {
    /** @return whether every value is a number (a rate can be fitted against the key) */
    public boolean numeric() {
      return values.stream().allMatch(Number.class::isInstance);
    }
  }

  /**
   * One run of the study.
   *
   * @param values the varied keys' values, in the order of the axes
   * @param seed the run's seed
   */
  public record Point(Map<String, Object> values, long seed) {
    /** @return the run directory below the study's, e.g. {@code runs/discretization.width=100/seed-1} */
    public Path directory(Path study) {
      String name = values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining(","));
      return study.resolve("runs").resolve(name.isEmpty() ? "base" : name).resolve("seed-" + seed);
    }
  }

  /**
   * What a point gave.
   *
   * @param point the point
   * @param status {@code completed}, {@code stopped}, {@code diverged}, {@code interrupted} or {@code failed}
   * @param last the final record (step, time, energy, risks, …), empty when the run did not start
   * @param wallSeconds the run's wall time, over all its sessions
   * @param error what went wrong, or empty
   */
  public record Outcome(Point point, String status, Map<String, Object> last, double wallSeconds, String error) {}

  /**
   * A fitted rate: the metric's seed mean against one numeric key, the other keys fixed.
   *
   * @param key the varied key
   * @param fixed the other varied keys' values
   * @param x the key's values that have a completed run
   * @param mean the metric's mean over the seeds at each
   * @param fit the log–log fit, or null when it could not be made ({@code error} says why)
   * @param error why there is no fit, or empty
   */
  public record Rate(String key, Map<String, Object> fixed, double[] x, double[] mean, LogLogFit fit, String error) {}

  /**
   * @param outcomes one per point, in the order of {@link #points()}
   * @param rates for each numeric varied key and each combination of the others, in the order of the axes
   */
  public record Result(List<Outcome> outcomes, List<Rate> rates) {}

  /** Follows a study as its points finish (from the jobs' threads, one call at a time). */
  public interface Listener {
    /** A listener that ignores everything. */
    Listener NONE = (outcome, done, total) -> {};

    /**
     * @param outcome the point just finished (or found finished)
     * @param done the points finished so far, this one included
     * @param total the points of the study
     */
    void onPoint(Outcome outcome, int done, int total);
  }

  private Study(Spec base, List<Axis> axes, int seeds) {
    this.base = base;
    this.axes = List.copyOf(axes);
    this.seeds = seeds;
  }

  /**
   * @param base the spec every point starts from
   * @param axes the varied keys, each with one or more values
   * @param seeds K ≥ 1: the seeds s, s + 1, …, s + K − 1 from the base spec's seed s (default 1)
   * @return the study
   * @throws SpecException naming the option when an axis has no value or there is no seed
   */
  public static Study of(Spec base, List<Axis> axes, int seeds) {
    if (seeds < 1) {
      throw new SpecException("--seeds", "must be at least 1, got " + seeds);
    }
    for (Axis axis : axes) {
      if (axis.values().isEmpty()) {
        throw new SpecException("--vary " + axis.key(), "needs one or more values, e.g. " + axis.key() + "=1,2,4");
      }
    }
    return new Study(base, axes, seeds);
  }

  /** @return every point: the cartesian grid of the axes (the last varying fastest), each with every seed */
  public List<Point> points() {
    long first = base.root().has("seed") ? base.root().getLong("seed") : 1;
    List<Map<String, Object>> grid = new ArrayList<>(List.of(new LinkedHashMap<>()));
    for (Axis axis : axes) {
      List<Map<String, Object>> next = new ArrayList<>();
      for (Map<String, Object> partial : grid) {
        for (Object value : axis.values()) {
          Map<String, Object> point = new LinkedHashMap<>(partial);
          point.put(axis.key(), value);
          next.add(point);
        }
      }
      grid = next;
    }
    List<Point> out = new ArrayList<>();
    for (Map<String, Object> values : grid) {
      for (int k = 0; k < seeds; k++) {
        out.add(new Point(values, first + k));
      }
    }
    return out;
  }

  /** @return the base spec with the point's values and seed */
  public Spec spec(Point point) {
    Spec spec = base;
    for (Map.Entry<String, Object> e : point.values().entrySet()) {
      spec = spec.with(e.getKey(), e.getValue());
    }
    return spec.with("seed", point.seed());
  }

  /**
   * Runs (or resumes, or takes as done) every point and writes {@code study.csv} and {@code rates.json}.
   *
   * @param dir the study's directory, created if absent
   * @param jobs J ≥ 1 runs at a time
   * @param metric the final metric the rates are fitted to, e.g. {@code test_risk}
   * @return the outcomes, in the order of {@link #points()}, and the rates
   * @throws IOException if the study's files cannot be written
   */
  public Result run(Varflow varflow, Path dir, int jobs, String metric, Listener listener) throws IOException {
    Files.createDirectories(dir);
    List<Point> points = points();
    AtomicInteger done = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, jobs));
    List<Outcome> outcomes = new ArrayList<>();
    try {
      List<Future<Outcome>> futures = new ArrayList<>();
      for (Point point : points) {
        futures.add(pool.submit(() -> {
          Outcome outcome = run(varflow, point, point.directory(dir));
          synchronized (listener) {
            listener.onPoint(outcome, done.incrementAndGet(), points.size());
          }
          return outcome;
        }));
      }
      for (Future<Outcome> f : futures) {
        outcomes.add(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("the study was interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    List<Rate> rates = StudyFiles.rates(axes, outcomes, metric);
    StudyFiles.writeTable(dir.resolve("study.csv"), axes, outcomes);
    AtomicFiles.write(dir.resolve("rates.json"), JSON.writeValueAsString(StudyFiles.ratesJson(metric, rates)));
    StudyPlots.write(dir.resolve("plots"), rates, outcomes, metric);
    return new Result(outcomes, rates);
  }

  /** One point: taken as it is when complete, resumed from its checkpoint, or run (afresh); a failure is an outcome. */
  private Outcome run(Varflow varflow, Point point, Path dir) {
    try {
      if (RunDirectory.completed(dir).isPresent()) {
        return fromSummary(point, dir);
      }
      boolean resumable = Files.isDirectory(dir.resolve("checkpoint"));
      if (!resumable && Files.exists(dir)) {
        RunDirectory.prepare(dir, true, "--out"); // a run killed before its first checkpoint: again
      }
      try (Run run = varflow.prepare(resumable ? RunDirectory.spec(dir) : spec(point))) {
        RunResult result = resumable ? run.resume(dir, RunListener.NONE) : run.execute(dir, RunListener.NONE);
        return new Outcome(point, result.status(), result.last(), wallSeconds(result.last()),
            result.failure().map(Throwable::getMessage).orElse(""));
      }
    } catch (IOException | RuntimeException e) {
      return new Outcome(point, "failed", Map.of(), Double.NaN, Optional.ofNullable(e.getMessage()).orElse(e.toString()));
    }
  }

  /** @return the outcome a completed run directory records in its {@code summary.json} */
  private static Outcome fromSummary(Point point, Path dir) throws IOException {
    JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
    Map<String, Object> last = new LinkedHashMap<>();
    summary.path("final").fields().forEachRemaining(e -> last.put(e.getKey(), e.getValue().isNumber()
        ? (Object) e.getValue().asDouble() : e.getValue().isNull() ? (Object) Double.NaN : e.getValue().asText()));
    return new Outcome(point, summary.path("status").asText(), last, wallSeconds(last), "");
  }

  /** @return the record's {@code wall_ms} in seconds, or NaN */
  private static double wallSeconds(Map<String, Object> last) {
    return last.get("wall_ms") instanceof Number ms ? ms.doubleValue() / 1000 : Double.NaN;
  }
}
