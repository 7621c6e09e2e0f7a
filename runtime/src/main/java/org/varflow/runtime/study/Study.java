package org.varflow.runtime.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.varflow.api.Options;
import org.varflow.api.SpecException;
import org.varflow.api.io.AtomicFiles;
import org.varflow.runtime.Run;
import org.varflow.runtime.RunDirectory;
import org.varflow.runtime.RunListener;
import org.varflow.runtime.RunResult;
import org.varflow.runtime.Spec;
import org.varflow.runtime.Varflow;
import org.varflow.runtime.spec.SpecSchema;
import org.varflow.runtime.study.RateFit.Scale;

/**
 * A study: a base spec run at every point of the grid of varied keys × seeds, each point a normal run directory
 * ({@code runs/KEY=V,KEY2=V2/seed-S} below the study's directory), in parallel up to a number of jobs. It writes
 * {@code study.csv} (one row per run: the varied keys, seed, status, final metrics, wall time, error),
 * {@code rates.json} (for each numeric varied key and each combination of the other keys, the slope of the metric's
 * seed mean against the key on log–log or semi-log axes, {@link RateFit}) and a plot of each rate in {@code plots/}.
 * Started again on the same directory, it takes the completed runs as they are, resumes the others from their last
 * checkpoint (or starts them again when they have none), so nothing is counted twice. A point that fails is listed
 * with its error; the others go on.
 *
 * <p>The base spec's {@code study} block sets the fit ({@code fit: loglog | semilog}) and a reference: with
 * {@code reference: {set: {KEY: VALUE, …}, metric: NAME}} the base spec with those keys set is run once per seed
 * ({@code runs/reference/seed-S}), and the rates are fitted to |mean over seeds of (metric − reference)|, the distance to
 * a limit. The block's {@code vary}, {@code seeds} and {@code metric} are the defaults of a command
 * ({@link #defaults}). The runs do not carry the block.
 *
 * <p>Runs share one {@link Varflow} and the base spec, as its thread-safety rule allows.
 */
public final class Study {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private static final String BLOCK = "study";

  private final Spec base;
  private final List<Axis> axes;
  private final int seeds;
  private final Scale scale;
  private final Optional<Reference> reference;

  /**
   * What the rates are measured against: the base spec with some keys set, run once per seed.
   *
   * @param set the keys to set (dotted, as {@code --set} takes them) and their values
   * @param metric the reference run's metric, or empty for the study's
   */
  public record Reference(Map<String, Object> set, String metric) {}

  /**
   * A spec's {@code study} block: what a study of it varies when the command line does not say.
   *
   * @param vary the varied keys and values ({@code study.vary}), empty without
   * @param seeds {@code study.seeds}, 1 without
   * @param metric {@code study.metric}, {@code test_risk} without
   */
  public record Defaults(List<Axis> vary, int seeds, String metric) {}

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
  public record Point(Map<String, Object> values, long seed) implements Serializable {
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
  public record Outcome(Point point, String status, Map<String, Object> last, double wallSeconds, String error)
      implements Serializable {}

  /**
   * One run of a study as an engine receives it.
   *
   * @param point its point (the reference runs': no values, their seed)
   * @param spec its spec
   * @param directory its run directory
   */
  public record Task(Point point, Spec spec, Path directory) {}

  /**
   * A fitted rate: the metric's seed mean against one numeric key, the other keys fixed.
   *
   * @param key the varied key
   * @param fixed the other varied keys' values
   * @param x the key's values that have a completed run
   * @param mean the fitted quantity at each: the metric's mean over the seeds, or with a reference |mean over the seeds
   *     of (metric − reference)|
   * @param runs each completed run's (x, quantity) pair (with a reference, |metric − reference| of the run's seed)
   * @param fit the fit, or null when it could not be made ({@code error} says why)
   * @param error why there is no fit, or empty
   */
  public record Rate(String key, Map<String, Object> fixed, double[] x, double[] mean, double[][] runs, RateFit fit,
      String error) {}

  /**
   * @param outcomes one per point, in the order of {@link #points()}
   * @param references the reference runs, one per seed (none without a reference)
   * @param rates for each numeric varied key and each combination of the others, in the order of the axes
   */
  public record Result(List<Outcome> outcomes, List<Outcome> references, List<Rate> rates) {}

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

  private Study(Spec base, List<Axis> axes, int seeds, Scale scale, Optional<Reference> reference) {
    this.base = base;
    this.axes = List.copyOf(axes);
    this.seeds = seeds;
    this.scale = scale;
    this.reference = reference;
  }

  /**
   * @param base the spec every point starts from; its {@code study} block (if any) gives the fit and the reference
   * @param axes the varied keys, each with one or more values
   * @param seeds K ≥ 1: the seeds s, s + 1, …, s + K − 1 from the base spec's seed s (default 1)
   * @return the study
   * @throws SpecException naming the option when an axis has no value or there is no seed, or the key of the
   *     {@code study} block that is wrong
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
    Options block = block(base);
    Optional<Reference> reference = block.sub("reference").map(r -> new Reference(
        r.sub("set").map(Options::asMap).orElse(Map.of()), r.getString("metric", "")));
    Map<String, Object> tree = Options.mutableCopy(base.root().asMap());
    tree.remove(BLOCK);
    return new Study(Spec.of(base.name(), tree, base.baseDir()), axes, seeds,
        Scale.of(block.getString("fit", Scale.LOG_LOG.id())), reference);
  }

  /**
   * @return the spec's {@code study} block's {@code vary}, {@code seeds} and {@code metric}, with their defaults
   * @throws SpecException naming the key of the block that is wrong
   */
  public static Defaults defaults(Spec spec) {
    Options block = block(spec);
    List<Axis> vary = new ArrayList<>();
    block.sub("vary").ifPresent(v -> v.asMap().forEach((key, values) -> {
      List<Object> list = values instanceof List<?> l ? List.copyOf(l) : List.of(values);
      if (list.isEmpty()) {
        throw new SpecException(v.keyPath(key), "needs one or more values, e.g. [1, 2, 4]");
      }
      vary.add(new Axis(key, list));
    }));
    return new Defaults(vary, block.getInt("seeds", 1), block.getString("metric", "test_risk"));
  }

  /** @return the spec's {@code study} block, checked against its schema (empty when there is none) */
  private static Options block(Spec spec) {
    Options block = Options.of(BLOCK, Options.mutableCopy(spec.root().sub(BLOCK).map(Options::asMap).orElse(Map.of())));
    return SpecSchema.STUDY.apply(block, spec.baseDir());
  }

  /** @return the fit's axes, from the base spec's {@code study.fit} */
  public Scale scale() {
    return scale;
  }

  /** @return the reference, from the base spec's {@code study.reference}, if any */
  public Optional<Reference> reference() {
    return reference;
  }

  /** @return the reference run of one seed: the base spec with the reference's keys set, and the seed */
  public Spec referenceSpec(long seed) {
    return with(reference.orElseThrow().set(), seed);
  }

  /** @return every point: the cartesian grid of the axes (the last varying fastest), each with every seed */
  public List<Point> points() {
    long first = firstSeed();
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

  private long firstSeed() {
    return base.root().has("seed") ? base.root().getLong("seed") : 1;
  }

  /** @return the base spec (without its {@code study} block) with the point's values and seed */
  public Spec spec(Point point) {
    return with(point.values(), point.seed());
  }

  /** @return the base spec with these keys set and the seed */
  private Spec with(Map<String, Object> values, long seed) {
    Spec spec = base;
    for (Map.Entry<String, Object> e : values.entrySet()) {
      spec = spec.with(e.getKey(), e.getValue());
    }
    return spec.with("seed", seed);
  }

  /**
   * Runs (or resumes, or takes as done) every point, and the reference of each seed first if there is one, and writes
   * {@code study.csv} and {@code rates.json}.
   *
   * @param dir the study's directory, created if absent
   * @param jobs J ≥ 1 runs at a time, on the local engine (the cores divided among them)
   * @param metric the final metric the rates are fitted to, e.g. {@code test_risk}: a column of the final record, or
   *     for a run that exported a network one of its risks as {@code network.sampled.train_risk} (the summary's
   *     {@code network} entry, its keys joined by dots)
   * @return the outcomes, in the order of {@link #points()}, the references and the rates
   * @throws IOException if the study's files cannot be written
   */
  public Result run(Varflow varflow, Path dir, int jobs, String metric, Listener listener) throws IOException {
    return run(StudyEngine.of(StudyEngine.LOCAL), new StudyEngine.Setting(varflow, Optional.empty(), jobs, Map.of(),
        listener, task -> RunListener.NONE), dir, metric);
  }

  /**
   * As {@link #run(Varflow, Path, int, String, Listener)}, the runs made by {@code engine}.
   *
   * @param setting what the runs are made with
   * @return the outcomes, in the order of {@link #points()}, the references and the rates
   * @throws IOException if the study's files cannot be written or the engine cannot run
   */
  public Result run(StudyEngine engine, StudyEngine.Setting setting, Path dir, String metric) throws IOException {
    Files.createDirectories(dir);
    List<Task> tasks = tasks(dir);
    List<Outcome> all = engine.run(tasks, setting);
    int references = reference.isPresent() ? seeds : 0;
    List<Outcome> referenceOutcomes = List.copyOf(all.subList(0, references));
    List<Outcome> outcomes = List.copyOf(all.subList(references, all.size()));
    Map<Long, Double> values = referenceValues(referenceOutcomes, metric);
    List<Rate> rates = StudyFiles.rates(axes, outcomes, metric, scale, reference.isPresent() ? values : null);
    StudyFiles.writeTable(dir.resolve("study.csv"), axes, outcomes);
    AtomicFiles.write(dir.resolve("rates.json"), JSON.writeValueAsString(StudyFiles.ratesJson(metric, quantity(metric), scale,
        reference.map(r -> referenceJson(r, metric, values)), rates)));
    StudyPlots.write(dir.resolve("plots"), rates, metric, quantity(metric), scale);
    return new Result(outcomes, referenceOutcomes, rates);
  }

  /**
   * @return every run of the study below {@code dir}: the reference of each seed first if there is one
   *     ({@code runs/reference/seed-S}), then the points in the order of {@link #points()}
   */
  public List<Task> tasks(Path dir) {
    List<Task> tasks = new ArrayList<>();
    if (reference.isPresent()) {
      for (int k = 0; k < seeds; k++) {
        Point point = new Point(Map.of(), firstSeed() + k);
        tasks.add(new Task(point, referenceSpec(point.seed()), dir.resolve("runs").resolve("reference")
            .resolve("seed-" + point.seed())));
      }
    }
    for (Point point : points()) {
      tasks.add(new Task(point, spec(point), point.directory(dir)));
    }
    return tasks;
  }

  /**
   * @return what the rates are fitted to: the metric, or {@code |metric - reference|}
   */
  public String quantity(String metric) {
    return reference.isPresent() ? "|" + metric + " - reference|" : metric;
  }

  /** @return each seed's reference value: the completed reference runs' metric (the reference's, or the study's) */
  private Map<Long, Double> referenceValues(List<Outcome> references, String metric) {
    String name = reference.map(Reference::metric).filter(m -> !m.isEmpty()).orElse(metric);
    Map<Long, Double> values = new TreeMap<>();
    for (Outcome o : references) {
      if (o.status().equals("completed") && o.last().get(name) instanceof Number y) {
        values.put(o.point().seed(), y.doubleValue());
      }
    }
    return values;
  }

  private static Map<String, Object> referenceJson(Reference r, String metric, Map<Long, Double> values) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("set", r.set());
    json.put("metric", r.metric().isEmpty() ? metric : r.metric());
    Map<String, Double> bySeed = new LinkedHashMap<>();
    values.forEach((seed, v) -> bySeed.put(Long.toString(seed), v));
    json.put("values", bySeed);
    return json;
  }

  /**
   * Makes one run of a study, wherever an engine runs it: taken as it is when its directory holds a completed run,
   * resumed from its checkpoint, or run (afresh, over what an interrupted attempt left); a failure is an outcome.
   *
   * @param varflow the plugins
   * @param task the run
   * @param listener follows the run (a progress bar), {@link RunListener#NONE} for none
   * @return what it gave
   */
  public static Outcome run(Varflow varflow, Task task, RunListener listener) {
    Point point = task.point();
    Path dir = task.directory();
    Spec spec = task.spec();
    try {
      if (RunDirectory.completed(dir).isPresent()) {
        return fromSummary(point, dir);
      }
      boolean resumable = Files.isDirectory(dir.resolve("checkpoint"));
      if (!resumable && Files.exists(dir)) {
        RunDirectory.prepare(dir, true, "--out"); // a run killed before its first checkpoint: again
      }
      try (Run run = varflow.prepare(resumable ? RunDirectory.spec(dir) : spec)) {
        RunResult result = resumable ? run.resume(dir, listener) : run.execute(dir, listener);
        Map<String, Object> last = new LinkedHashMap<>(result.last());
        Path summary = dir.resolve("summary.json");
        if (Files.isRegularFile(summary)) {
          last.putAll(network(JSON.readTree(summary.toFile())));
        }
        return new Outcome(point, result.status(), last, wallSeconds(result.last()),
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
    last.putAll(network(summary));
    return new Outcome(point, summary.path("status").asText(), last, wallSeconds(last), "");
  }

  /**
   * @param summary a run's {@code summary.json}
   * @return the numbers of the summary's {@code network} entry (an exported network's width and risks), each under its
   *     keys joined by dots: {@code network.sampled.train_risk}, …; none when the run exported no network
   */
  private static Map<String, Object> network(JsonNode summary) {
    Map<String, Object> out = new LinkedHashMap<>();
    flatten("network", summary.path("network"), out);
    return out;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, Object> out) {
    if (node.isNumber()) {
      out.put(prefix, node.asDouble());
    }
    node.fields().forEachRemaining(e -> flatten(prefix + "." + e.getKey(), e.getValue(), out));
  }

  /** @return the record's {@code wall_ms} in seconds, or NaN */
  private static double wallSeconds(Map<String, Object> last) {
    return last.get("wall_ms") instanceof Number ms ? ms.doubleValue() / 1000 : Double.NaN;
  }
}
