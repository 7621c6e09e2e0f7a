package org.varflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varflow.api.SpecException;

/** Default run directories are unique among concurrent runs; a named one is checked and never mixed with old files. */
class RunDirectoryTest {
  @TempDir
  Path tmp;

  /** 16 threads released together, all in the same second: 16 different, empty directories. */
  @Test
  void concurrentRunsGetDifferentDirectories() throws Exception {
    int threads = 16;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Path>> dirs = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Callable<Path> create = () -> {
          start.await();
          return RunDirectory.createUnique(tmp.resolve("runs"), "spec");
        };
        dirs.add(pool.submit(create));
      }
      start.countDown();
      HashSet<Path> distinct = new HashSet<>();
      for (Future<Path> dir : dirs) {
        Path d = dir.get();
        assertThat(d.getFileName().toString()).matches("\\d{8}-\\d{6}-spec(-\\d+)?");
        assertThat(Files.list(d)).isEmpty();
        distinct.add(d);
      }
      assertThat(distinct).hasSize(threads);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aNamedDirectoryMustBeNewOrEmptyOrAReplacedRun() throws Exception {
    Path run = Files.createDirectories(tmp.resolve("run"));
    RunDirectory.check(run, false, "--out");
    RunDirectory.check(tmp.resolve("new/deeper"), false, "--out");
    Files.writeString(run.resolve("spec.yaml"), "seed: 1\n");
    Files.createDirectories(run.resolve("params/network"));
    Files.writeString(run.resolve("params/network/a.npy"), "stale");
    assertThatThrownBy(() -> RunDirectory.check(run, false, "--out")).isInstanceOf(SpecException.class)
        .hasMessage("--out: " + run + " is not empty; choose a new directory, or add --force to replace the run in it");
    assertThat(RunDirectory.prepare(run, true, "--out")).isEqualTo(run);
    assertThat(Files.list(run)).as("the earlier run's files are gone").isEmpty();

    Path other = Files.createDirectories(tmp.resolve("photos"));
    Files.writeString(other.resolve("holiday.jpg"), "");
    assertThatThrownBy(() -> RunDirectory.prepare(other, true, "--out")).isInstanceOf(SpecException.class)
        .hasMessage("--out: " + other + " holds files but no spec.yaml, so it is not a run directory; --force replaces"
            + " run directories only");
    assertThat(other.resolve("holiday.jpg")).exists();

    Path file = Files.writeString(tmp.resolve("file.txt"), "");
    assertThatThrownBy(() -> RunDirectory.check(file, false, "--out")).hasMessage("--out: " + file
        + " is a file, not a directory");
    assertThatThrownBy(() -> RunDirectory.check(file.resolve("run"), false, "--out")).hasMessage("--out: "
        + file.resolve("run") + " cannot be created: " + file + " is not a directory");
  }
}
