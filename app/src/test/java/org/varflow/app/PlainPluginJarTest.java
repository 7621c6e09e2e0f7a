package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varflow.api.io.Npy;
import org.varflow.app.plugins.Plugins;

/**
 * A plugin need not be a module (README: "a named module, or a plain jar with META-INF/services"): the example midpoint
 * solver compiled on the class path, without its module-info.java, and packed with a service file is found (as the
 * automatic module its file name makes), listed, and solves exactly as the same source built as a module does.
 */
class PlainPluginJarTest {
  private static final Path MIDPOINT = ProjectRoot.resolve("examples/plugins/midpoint/src/main/java");
  private static final String[] SMALL = {"--set", "backend=jvm", "--set", "data.train.n=200", "--set",
      "data.test.n=100", "--set", "discretization.width=16", "--set", "solver={kind: midpoint, step: 0.1, steps: 20}"};

  @TempDir
  Path tmp;

  @Test
  void aJarWithOnlyAServiceFileIsAPlugin() throws Exception {
    Path solvers = PluginJars.location(new Plugins().registry().solver("explicit-euler"));
    List<Path> against = List.of(PluginJars.api(), solvers);
    Path plain = plainJar(tmp.resolve("plain/midpoint-plain-1.0.0.jar"), against);
    Path modular = PluginJars.build(tmp.resolve("modular/midpoint.jar"), "1.0.0", MIDPOINT, against);
    try (var jar = new java.util.jar.JarFile(plain.toFile())) {
      assertThat(jar.getEntry("module-info.class")).isNull();
    }

    Cli listed = Cli.run("--plugins", plain.getParent().toString(), "plugins");
    assertThat(listed.exitCode()).as(listed.err()).isZero();
    assertThat(listed.out()).containsPattern("solver +midpoint +1\\.0\\.0 +midpoint\\.plain +available");

    double[] fromPlain = run(plain.getParent(), "plain");
    double[] fromModule = run(modular.getParent(), "modular");
    assertThat(fromPlain).containsExactly(fromModule);
  }

  /** @return W after the small run with the plugins of {@code dir} (it must have moved: a solve took place) */
  private double[] run(Path dir, String name) throws Exception {
    Path out = tmp.resolve("run-" + name);
    List<String> args = new ArrayList<>(List.of("--plugins", dir.toString(), "run"));
    args.addAll(List.of(SMALL));
    args.addAll(List.of("--out", out.toString()));
    Cli cli = Cli.run(args.toArray(String[]::new));
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(out.resolve("summary.json")).content().contains("\"status\" : \"completed\"", "\"midpoint\"");
    assertThat(RunCommandTest.history(out)).hasSize(3); // steps 0, 10, 20
    return Npy.read(out.resolve("params/W.npy")).data();
  }

  /** javac on the class path (module-info.java left out), a META-INF/services file, jar without a module version. */
  private Path plainJar(Path jar, List<Path> classPath) throws Exception {
    Path classes = Files.createDirectories(tmp.resolve("plain-classes"));
    List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "--class-path",
        String.join(":", classPath.stream().map(Path::toString).toList())));
    try (var files = Files.walk(MIDPOINT)) {
      files.filter(f -> f.toString().endsWith(".java") && !f.endsWith("module-info.java"))
          .forEach(f -> args.add(f.toString()));
    }
    run("javac", args);
    Path services = Files.createDirectories(classes.resolve("META-INF/services"));
    Files.writeString(services.resolve("org.varflow.api.solve.Solver"), "org.example.midpoint.Midpoint\n");
    Files.createDirectories(jar.getParent());
    run("jar", List.of("--create", "--file", jar.toString(), "-C", classes.toString(), "."));
    return jar;
  }

  private static void run(String tool, List<String> args) {
    StringWriter out = new StringWriter();
    int code = ToolProvider.findFirst(tool).orElseThrow().run(new PrintWriter(out), new PrintWriter(out),
        args.toArray(String[]::new));
    assertThat(code).as("%s %s%n%s", tool, args, out).isZero();
  }
}
