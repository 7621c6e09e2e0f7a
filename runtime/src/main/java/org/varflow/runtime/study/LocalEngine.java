package org.varflow.runtime.study;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.varflow.api.SpecException;
import org.varflow.api.tensor.Backend;

/**
 * The built-in engine: J runs at a time on a pool of threads in this JVM, the cores divided among them (each backend is
 * told max(1, ⌊C/J⌋) threads per run on C cores, {@link Backend#threadsPerRun}, and given back its default after).
 */
final class LocalEngine implements StudyEngine {
  @Override
  public String id() {
    return LOCAL;
  }

  @Override
  public List<Study.Outcome> run(List<Study.Task> tasks, Setting setting) throws IOException {
    if (!setting.options().isEmpty()) {
      throw new SpecException("--" + setting.options().keySet().iterator().next(), "is an option of another study"
          + " engine, not of the local one (e.g. --master is Spark's: --engine spark)");
    }
    int jobs = Math.max(1, setting.jobs());
    List<Backend> backends = setting.varflow().registry().backends();
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / jobs);
    backends.forEach(b -> b.threadsPerRun(threads));
    AtomicInteger done = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(jobs);
    try {
      List<Future<Study.Outcome>> futures = new ArrayList<>();
      for (Study.Task task : tasks) {
        futures.add(pool.submit(() -> {
          Study.Outcome outcome = Study.run(setting.varflow(), task, setting.runs().apply(task));
          synchronized (setting.listener()) {
            setting.listener().onPoint(outcome, done.incrementAndGet(), tasks.size());
          }
          return outcome;
        }));
      }
      List<Study.Outcome> outcomes = new ArrayList<>();
      for (Future<Study.Outcome> f : futures) {
        outcomes.add(f.get());
      }
      return outcomes;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("the study was interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
      backends.forEach(b -> b.threadsPerRun(0));
    }
  }
}
