package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varflow.api.io.Npy;
import org.varflow.app.plugins.Plugins;

/**
 * varflow in a JVM where everything is on the class path (a Spark executor, an application server): the built-in
 * plugins are found through their service files, and a plugin jar in the plugin folder that is a module requiring
 * {@code org.varflow.api} loads in a class loader of its own and solves exactly as it does in a module layer. Without
 * {@code --add-modules jdk.incubator.vector} the jvm backend says what it needs instead of failing.
 */
class ClassPathTest {
  private static final Path MIDPOINT = ProjectRoot.resolve("examples/plugins/midpoint/src/main/java");
  private static final List<String> SMALL = List.of("--set", "backend=jvm", "--set", "data.train.n=200", "--set",
      "data.test.n=100", "--set", "discretization.width=16", "--set", "solver={kind: midpoint, step: 0.1, steps: 20}");

  @TempDir
  Path tmp;

  @Test
  void aModularPluginRunsOnTheClassPathAsInAModuleLayer() throws Exception {
    Path solvers = PluginJars.location(new Plugins().registry().solver("explicit-euler"));
    Path plugins = tmp.resolve("plugins");
    PluginJars.build(plugins.resolve("midpoint.jar"), "1.0.0", MIDPOINT, List.of(PluginJars.api(), solvers));

    String listed = classPath("--add-modules", "jdk.incubator.vector", "--plugins", plugins.toString(), "plugins");
    assertThat(listed).containsPattern("solver +midpoint .*available")
        .containsPattern("backend +jvm .*available");

    List<String> run = new ArrayList<>(List.of("--add-modules", "jdk.incubator.vector", "--plugins",
        plugins.toString(), "run"));
    run.addAll(SMALL);
    run.addAll(List.of("--out", tmp.resolve("class-path").toString()));
    classPath(run.toArray(String[]::new));
    assertThat(tmp.resolve("class-path/summary.json")).content().contains("\"status\" : \"completed\"", "\"midpoint\"");

    List<String> modular = new ArrayList<>(List.of("--plugins", plugins.toString(), "run"));
    modular.addAll(SMALL);
    modular.addAll(List.of("--out", tmp.resolve("module-path").toString()));
    Cli cli = Cli.run(modular.toArray(String[]::new));
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(Npy.read(tmp.resolve("class-path/params/W.npy")).data())
        .containsExactly(Npy.read(tmp.resolve("module-path/params/W.npy")).data());
  }

  @Test
  void withoutTheVectorModuleTheJvmBackendSaysWhatItNeeds() throws Exception {
    assertThat(classPath("plugins")).containsPattern(
        "backend +jvm .*unavailable: its kernels need the module jdk.incubator.vector: start the JVM with"
            + " --add-modules jdk.incubator.vector");
  }

  /** @return the output of {@code varflow ARGS} in a JVM with the test's module path and class path as class path */
  private String classPath(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "-Xmx512m"));
    int options = args.length >= 2 && args[0].equals("--add-modules") ? 2 : 0;
    cmd.addAll(List.of(args).subList(0, options));
    cmd.addAll(List.of("-cp", System.getProperty("jdk.module.path") + ":" + System.getProperty("java.class.path"),
        "org.varflow.app.Main"));
    cmd.addAll(List.of(args).subList(options, args.length));
    Path log = Files.createTempFile(tmp, "child", ".log");
    Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(log);
    assertThat(child.exitValue()).as(out).isZero();
    return out;
  }
}
