package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the README says of the launcher in a process of its own: {@code --verbose} logs what is found and the stack
 * trace of an internal error (and nothing without it); the {@code ./varflow} script runs from the project root;
 * {@code -Dvarflow.jvm.threads} and {@code -Dvarflow.nd4j.threads} set the backends' thread counts; running out of
 * heap before the run starts is exit 3 with one line.
 */
class LauncherTest {
  private static final String[] FAILING_RUN = {"run", "--set", "backend=jvm", "--set", "solver={kind: bug}", "--set",
      "data.train.n=50", "--set", "data.test.n=50", "--set", "discretization.width=4"};

  @TempDir
  Path tmp;

  /**
   * With {@code --verbose}: INFO lines naming each plugin found and its module, then the internal error's one line and
   * its stack trace down to the plugin's frame; without: the one line only.
   */
  @Test
  void verboseLogsWhatIsFoundAndTheTraceOfAnInternalError() throws Exception {
    Path plugins = Files.createDirectories(tmp.resolve("plugins"));
    PluginJars.build(plugins.resolve("bug.jar"), "1.0", Map.of(
        "module-info.java", "module org.example.bug { requires org.varflow.api;"
            + " provides org.varflow.api.solve.Solver with org.example.bug.Bug; }",
        "org/example/bug/Bug.java", """
            package org.example.bug;
            public final class Bug implements org.varflow.api.solve.Solver {
              public String id() { return "bug"; }
              public String description() { return "throws"; }
              public org.varflow.api.solve.SolveResult solve(org.varflow.api.solve.SolveContext c) {
                throw new IllegalStateException("a bug in the plugin");
              }
            }
            """), List.of(PluginJars.api()));
    String line = "internal error: java.lang.IllegalStateException: a bug in the plugin (please report it; rerun with"
        + " --verbose for the stack trace)";

    Child verbose = varflow(List.of(), args(new String[] {"--verbose", "--plugins", plugins.toString()}, "verbose"));
    assertThat(verbose.exitCode()).as(verbose.log()).isEqualTo(1);
    assertThat(verbose.log()).containsPattern("INFO .*found solver 'bug' 1\\.0 in module org\\.example\\.bug")
        .containsPattern("INFO .*found backend 'jvm' .* in module org\\.varflow\\.backend\\.jvm")
        .containsPattern("INFO .*found solver 'explicit-euler' ")
        .contains(line, "java.lang.IllegalStateException: a bug in the plugin\n")
        .containsPattern("\\n\\s+at org\\.example\\.bug(@1\\.0)?/org\\.example\\.bug\\.Bug\\.solve\\(Bug\\.java:"
            + "[0-9]+\\)");

    Child quiet = varflow(List.of(), args(new String[] {"--plugins", plugins.toString()}, "quiet"));
    assertThat(quiet.exitCode()).as(quiet.log()).isEqualTo(1);
    assertThat(quiet.log().lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")))
        .containsExactly(line);
  }

  /**
   * {@code -Dvarflow.jvm.threads=N} and {@code -Dvarflow.nd4j.threads=K} are the thread counts the backends describe:
   * jvm "N threads", nd4j-cpu "K op threads". N = processors + 1 is never jvm's default; ND4J caps K at the
   * processors, and K = processors (1 above 4 processors) is never its default of 1 on at most 4 processors and all
   * of them above (a machine of 1 processor cannot tell, and checks jvm only).
   */
  @Test
  void threadPropertiesSetTheBackendsThreadCounts() throws Exception {
    int processors = Runtime.getRuntime().availableProcessors();
    int n = processors + 1;
    int k = processors > 4 ? 1 : processors;
    Child bench = varflow(List.of("-Dvarflow.jvm.threads=" + n, "-Dvarflow.nd4j.threads=" + k), "bench", "--json",
        "--sizes", "S", "--repeats", "1", "--warmup", "0", "--precision", "float32", "--backend", "jvm,nd4j-cpu");
    assertThat(bench.exitCode()).as(bench.log()).isZero();
    String json = bench.log().substring(bench.log().indexOf('{'));
    JsonNode backends = new ObjectMapper().readTree(json).get("backends");
    assertThat(describe(backends, "jvm")).contains(", " + n + " threads,");
    if (processors > 1) {
      assertThat(describe(backends, "nd4j-cpu")).contains(", " + k + " op thread" + (k == 1 ? "," : "s,"));
    }
  }

  /**
   * Heap exhausted before the solve (here by the generated training data: 40 million doubles in a 64 MB heap) is exit
   * 3 with the one line the README gives, no stack trace.
   */
  @Test
  void outOfMemoryBeforeTheRunIsExit3() throws Exception {
    List<String> cmd = new ArrayList<>(ChildJvm.varflow("-Xmx64m", "run", "--set", "backend=jvm", "--set",
        "data.train.n=4000000", "--set", "data.train.d=10", "--out", tmp.resolve("oom").toString()));
    Child child = start(cmd);
    assertThat(child.exitCode()).as(child.log()).isEqualTo(3);
    assertThat(child.log().lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")))
        .containsExactly("error: run failed: out of memory (Java heap space); use smaller sizes, float32, or more"
            + " memory (VARFLOW_JAVA_OPTS=-Xmx…)");
  }

  /**
   * {@code ./varflow plugins} from the project root: the script itself, with the app it built. Skipped when there is no
   * built app (app/target/lib: {@code ./mvnw package} makes it, after the tests) or when the app is older than the
   * sources, where the script would first build (a nested Maven build inside the tests).
   */
  @Test
  void theLauncherScriptRunsFromTheProjectRoot() throws Exception {
    Path root = ProjectRoot.DIR;
    Path jar = root.resolve("app/target/varflow-app.jar");
    assumeTrue(Files.isDirectory(root.resolve("app/target/lib/modules")) && Files.isRegularFile(jar),
        "app/target/lib is missing: the launcher script needs the packaged app (./mvnw -B package)");
    Optional<Path> newer = newerSource(root, Files.getLastModifiedTime(jar));
    assumeTrue(newer.isEmpty(), () -> "app/target/varflow-app.jar is older than " + newer.orElseThrow()
        + ": ./varflow would build first; package again to run this test");
    Path log = tmp.resolve("script.log");
    ProcessBuilder pb = new ProcessBuilder(root.resolve("varflow").toString(), "plugins").directory(root.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("VARFLOW_JAVA_OPTS", "-Xmx512m");
    Child child = wait(pb.start(), log);
    assertThat(child.exitCode()).as(child.log()).isZero();
    assertThat(child.log()).doesNotContain("varflow: building")
        .containsPattern("backend +jvm +\\S+ +org\\.varflow\\.backend\\.jvm +available")
        .containsPattern("backend +nd4j-cpu +\\S+ +\\S+ +available")
        .containsPattern("solver +explicit-euler +\\S+ +org\\.varflow\\.solvers +available")
        .containsPattern("discretization +particles +");
  }

  /** The script's own rule: a file under the root pom, a module's pom or src/main newer than the app jar. */
  private static Optional<Path> newerSource(Path root, FileTime jar) throws Exception {
    List<Path> sources = new ArrayList<>(List.of(root.resolve("pom.xml")));
    Matcher module = Pattern.compile("<module>(.*)</module>").matcher(Files.readString(root.resolve("pom.xml")));
    while (module.find()) {
      sources.add(root.resolve(module.group(1)).resolve("pom.xml"));
      sources.add(root.resolve(module.group(1)).resolve("src/main"));
    }
    for (Path source : sources) {
      if (!Files.exists(source)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(source)) {
        Optional<Path> newer = files.filter(Files::isRegularFile).filter(f -> {
          try {
            return Files.getLastModifiedTime(f).compareTo(jar) > 0;
          } catch (java.io.IOException e) {
            return true;
          }
        }).findFirst();
        if (newer.isPresent()) {
          return newer;
        }
      }
    }
    return Optional.empty();
  }

  private String[] args(String[] options, String out) {
    List<String> all = new ArrayList<>(List.of(options));
    all.addAll(List.of(FAILING_RUN));
    all.addAll(List.of("--out", tmp.resolve(out).toString()));
    return all.toArray(String[]::new);
  }

  private static String describe(JsonNode backends, String id) {
    for (JsonNode b : backends) {
      if (b.get("id").asText().equals(id)) {
        return b.get("describe").asText();
      }
    }
    throw new AssertionError("no backend " + id + " in " + backends);
  }

  private record Child(int exitCode, String log) {}

  /** Runs varflow in a new JVM with {@code jvmOptions}, in the temporary directory, without OMP_NUM_THREADS. */
  private Child varflow(List<String> jvmOptions, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(ChildJvm.varflow("-Xmx512m", args));
    cmd.addAll(1, jvmOptions);
    return start(cmd);
  }

  private Child start(List<String> cmd) throws Exception {
    Path log = Files.createTempFile(tmp, "child", ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().remove("OMP_NUM_THREADS"); // it would decide ND4J's threads in place of the property
    return wait(pb.start(), log);
  }

  private static Child wait(Process process, Path log) throws Exception {
    boolean ended = process.waitFor(2, TimeUnit.MINUTES);
    if (!ended) {
      process.destroyForcibly().waitFor();
    }
    assertThat(ended).as("ended within two minutes: %s", Files.readString(log)).isTrue();
    return new Child(process.exitValue(), Files.readString(log));
  }
}
