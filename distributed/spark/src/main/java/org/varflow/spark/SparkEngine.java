package org.varflow.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.varflow.api.SpecException;
import org.varflow.runtime.RunListener;
import org.varflow.runtime.Spec;
import org.varflow.runtime.Varflow;
import org.varflow.runtime.study.Study;
import org.varflow.runtime.study.StudyEngine;

/**
 * The study engine {@code spark}: every run of a study is a Spark job of one task, submitted all at once, which makes
 * the run on an executor with {@link Study#run(Varflow, Study.Task, RunListener)} into its directory below the study's
 * (a file system the driver and every executor share). A run travels as text (its spec's YAML, its directory, its
 * point); the plugin folder travels with {@link SparkContext#addFile(String, boolean)} and loads on the executor on the
 * class path, beside the built-in plugins of the application jar. Spark's task retries redo a run whose executor was
 * lost: the attempt resumes what the lost one left (from its checkpoint, else afresh), and each run is one row.
 *
 * <p>Master: {@code --master}, else Spark's {@code spark.master} (as spark-submit sets it), else {@code local[*]}. An
 * executor's run uses {@code spark.task.cpus} threads of its backend.
 */
public final class SparkEngine implements StudyEngine {
  /** The plugins each executor JVM loaded, by plugin folder name ("" for none). */
  private static final Map<String, Varflow> LOADED = new ConcurrentHashMap<>();
  /** How often the driver looks at the runs' jobs, in milliseconds. */
  private static final long POLL_MILLIS = 100;

  /** Made by {@link java.util.ServiceLoader}. */
  public SparkEngine() {}

  /** @return {@code spark} */
  @Override
  public String id() {
    return "spark";
  }

  @Override
  public List<Study.Outcome> run(List<Study.Task> tasks, Setting setting) throws IOException {
    Map<String, String> options = new HashMap<>(setting.options());
    String master = options.remove("master");
    if (!options.isEmpty()) {
      throw new SpecException("--" + options.keySet().iterator().next(), "is not an option of the spark engine (it"
          + " takes --master)");
    }
    SparkConf conf = new SparkConf().setAppName("varflow study").setIfMissing("spark.master", "local[*]");
    if (master != null) {
      conf.setMaster(master);
    }
    if (conf.get("spark.master").startsWith("local")) {
      conf.setIfMissing("spark.ui.enabled", "false"); // no web server for a study on this machine
    }
    JavaSparkContext spark = new JavaSparkContext(SparkContext.getOrCreate(conf));
    try {
      String plugins = "";
      Optional<Path> folder = setting.plugins().filter(Files::isDirectory);
      if (folder.isPresent()) {
        spark.sc().addFile(folder.get().toAbsolutePath().toUri().toString(), true);
        plugins = folder.get().toAbsolutePath().getFileName().toString();
      }
      List<JavaFutureAction<List<Study.Outcome>>> jobs = new ArrayList<>();
      for (Study.Task task : tasks) {
        Run run = new Run(task.spec().name(), task.spec().toYaml(), task.spec().baseDir().toString(),
            task.directory().toAbsolutePath().toString(), task.point(), plugins);
        spark.setJobDescription("varflow " + task.directory().getFileName() + " of " + task.point().values());
        jobs.add(spark.parallelize(List.of(run), 1).map(SparkEngine::make).collectAsync());
      }
      return await(jobs, tasks, setting.listener());
    } finally {
      spark.stop();
    }
  }

  /** @return the outcomes in the order of the tasks, the listener told of each as its job ends */
  private static List<Study.Outcome> await(List<JavaFutureAction<List<Study.Outcome>>> jobs, List<Study.Task> tasks,
      Study.Listener listener) throws IOException {
    Study.Outcome[] outcomes = new Study.Outcome[jobs.size()];
    int done = 0;
    try {
      while (done < jobs.size()) {
        boolean any = false;
        for (int i = 0; i < jobs.size(); i++) {
          if (outcomes[i] == null && jobs.get(i).isDone()) {
            outcomes[i] = outcome(jobs.get(i), tasks.get(i));
            listener.onPoint(outcomes[i], ++done, jobs.size());
            any = true;
          }
        }
        if (!any) {
          Thread.sleep(POLL_MILLIS);
        }
      }
    } catch (InterruptedException e) {
      jobs.forEach(j -> j.cancel(true));
      Thread.currentThread().interrupt();
      throw new IOException("the study was interrupted", e);
    }
    return List.of(outcomes);
  }

  /** @return the run's outcome, or a failed one when its job failed (every attempt of its task) */
  private static Study.Outcome outcome(JavaFutureAction<List<Study.Outcome>> job, Study.Task task)
      throws InterruptedException {
    try {
      return job.get().get(0);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return new Study.Outcome(task.point(), "failed", Map.of(), Double.NaN, "Spark: " + cause.getMessage());
    }
  }

  /** On an executor: loads the plugins once per JVM, shares the cores among its tasks and makes the run. */
  static Study.Outcome make(Run run) {
    TaskContext context = TaskContext.get();
    Varflow varflow = LOADED.computeIfAbsent(run.plugins(), name -> {
      Varflow loaded = Varflow.load(name.isEmpty() ? null : Path.of(SparkFiles.get(name)));
      int threads = context == null ? 0 : context.cpus();
      loaded.registry().backends().forEach(b -> b.threadsPerRun(threads));
      return loaded;
    });
    Spec spec = Spec.parse(run.name(), run.yaml(), Path.of(run.baseDir()));
    return Study.run(varflow, new Study.Task(run.point(), spec, Path.of(run.directory())), RunListener.NONE);
  }

  /**
   * A run as it travels to an executor.
   *
   * @param name its spec's name
   * @param yaml its spec's text
   * @param baseDir what its relative paths resolve against
   * @param directory its run directory, absolute
   * @param point its point
   * @param plugins the name of the plugin folder shipped with the job, empty for none
   */
  record Run(String name, String yaml, String baseDir, String directory, Study.Point point, String plugins)
      implements Serializable {}
}
