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
        assertThat(Files.list(d)).containsExactly(d.resolve(RunDirectory.MARKER));
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
    assertThat(tmp.resolve("new")).as("checking undoes what it created").doesNotExist();
    RunDirectory.prepare(run, false, "--out");
    Files.writeString(run.resolve("spec.yaml"), "seed: 1\n");
    Files.createDirectories(run.resolve("params/network"));
    Files.writeString(run.resolve("params/network/a.npy"), "stale");
    Files.writeString(run.resolve(".history.csv.123.1.tmp"), "left by a kill");
    assertThatThrownBy(() -> RunDirectory.check(run, false, "--out")).isInstanceOf(SpecException.class)
        .hasMessage("--out: " + run + " is not empty; choose a new directory, or add --force to replace the run in it");
    assertThat(RunDirectory.prepare(run, true, "--out")).isEqualTo(run);
    assertThat(Files.list(run)).as("the earlier run's files are gone").containsExactlyInAnyOrder(
        run.resolve(RunDirectory.MARKER), run.resolve(RunDirectory.LOCK));

    Path file = Files.writeString(tmp.resolve("file.txt"), "");
    assertThatThrownBy(() -> RunDirectory.check(file, false, "--out")).hasMessage("--out: " + file
        + " is a file, not a directory");
    assertThatThrownBy(() -> RunDirectory.check(file.resolve("run"), false, "--out")).hasMessage("--out: "
        + file.resolve("run") + " cannot be created: " + file + " is not a directory");
  }

  /**
   * A user's project holding a spec.yaml is not a run directory: --force refuses it and deletes nothing (it used to
   * delete the whole folder, .git included). A run directory varflow wrote, with a user's file added, is refused
   * naming that file.
   */
  @Test
  void forceReplacesOnlyWhatVarflowWrote() throws Exception {
    Path project = Files.createDirectories(tmp.resolve("proj"));
    Files.writeString(project.resolve("spec.yaml"), "seed: 1\n");
    Files.writeString(project.resolve("NOTES.md"), "notes");
    Files.createDirectories(project.resolve("data"));
    Files.writeString(project.resolve("data/X.npy"), "data");
    Files.createDirectories(project.resolve(".git/objects"));
    List<Path> before = tree(project);
    assertThatThrownBy(() -> RunDirectory.prepare(project, true, "--out")).isInstanceOf(SpecException.class)
        .hasMessage("--out: " + project + " is not a run directory that varflow wrote (it has no .varflow-run);"
            + " --force replaces only those");
    assertThat(tree(project)).isEqualTo(before);

    Path run = RunDirectory.prepare(tmp.resolve("run"), false, "--out");
    Files.writeString(run.resolve("history.csv"), "step\n0\n");
    Files.writeString(run.resolve("NOTES.md"), "notes");
    Files.createDirectories(run.resolve(".git"));
    List<Path> kept = tree(run);
    assertThatThrownBy(() -> RunDirectory.prepare(run, true, "--out")).isInstanceOf(SpecException.class)
        .hasMessage("--out: " + run + " holds files varflow did not write: .git, NOTES.md; --force replaces a run"
            + " directory only when it holds nothing else");
    assertThat(tree(run)).isEqualTo(kept);
  }

  /** An --out that cannot be created is refused before any work, naming why; nothing is left behind. */
  @Test
  void anOutThatCannotBeCreatedIsRefused() throws Exception {
    Path dangling = Files.createSymbolicLink(tmp.resolve("link"), tmp.resolve("gone/run"));
    assertThatThrownBy(() -> RunDirectory.check(dangling, false, "--out")).isInstanceOf(SpecException.class)
        .hasMessage("--out: " + dangling + " is a symbolic link to " + tmp.resolve("gone/run") + ", which does not"
            + " exist");
    Path tooLong = tmp.resolve("x".repeat(300)).resolve("run");
    assertThatThrownBy(() -> RunDirectory.check(tooLong, false, "--out")).isInstanceOf(SpecException.class)
        .hasMessage("--out: " + tooLong + " cannot be created: File name too long");
    Path proc = Path.of("/proc/varflow-run");
    assertThatThrownBy(() -> RunDirectory.check(proc, false, "--out")).isInstanceOf(SpecException.class)
        .hasMessage("--out: " + proc + " cannot be created: the file system does not allow it (no such file or"
            + " directory)");
    assertThat(tmp.resolve("gone")).doesNotExist();
  }

  /** A directory is written by one run at a time: a second lock, or a --force over a locked run, is refused. */
  @Test
  void aLockedDirectoryIsRefused() throws Exception {
    Path run = RunDirectory.prepare(tmp.resolve("run"), false, "--out");
    try (RunDirectory.Lock lock = RunDirectory.lock(run)) {
      assertThatThrownBy(() -> RunDirectory.lock(run)).isInstanceOf(SpecException.class)
          .hasMessage(run + ": is in use by another run of this process");
      Files.writeString(run.resolve("history.csv"), "step\n0\n");
      assertThatThrownBy(() -> RunDirectory.prepare(run, true, "--out")).isInstanceOf(SpecException.class)
          .hasMessage(run + ": is in use by another run of this process");
      assertThat(run.resolve("history.csv")).exists();
    }
    RunDirectory.lock(run).close();
  }

  private static List<Path> tree(Path dir) throws Exception {
    try (var files = Files.walk(dir)) {
      return files.sorted().toList();
    }
  }
}
