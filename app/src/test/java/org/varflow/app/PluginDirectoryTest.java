package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varflow.api.plugin.Plugin;

/** A plugin jar dropped into a directory is put on a module path of its own and found by the registry. */
class PluginDirectoryTest {
  @TempDir
  Path tmp;

  @Test
  void pluginJarInDirectoryShowsUpAndDuplicatesAreRejected() throws Exception {
    Path jar = buildSolverPlugin("org.example.halt", "halt");
    Cli cli = Cli.run("--plugins", jar.getParent().toString(), "plugins");
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(cli.out()).containsPattern("solver +halt +1\\.2\\.3 +org\\.example\\.halt +available");

    Path dup = Files.createDirectories(tmp.resolve("dup"));
    Files.copy(jar, dup.resolve("a.jar"));
    Files.copy(buildSolverPlugin("org.example.other", "halt"), dup.resolve("b.jar"));
    Cli twice = Cli.run("--plugins", dup.toString(), "plugins");
    assertThat(twice.exitCode()).isEqualTo(2);
    assertThat(twice.err()).contains("duplicate solver id 'halt'", "module org.example.halt", "module org.example.other");
  }

  /** Compiles a one-class solver module and packs it as {@code <module>.jar} in a fresh directory. */
  private Path buildSolverPlugin(String module, String id) throws Exception {
    Path src = Files.createDirectories(tmp.resolve(module + "-src/" + module.replace('.', '/')));
    Files.writeString(src.getParent().getParent().getParent().resolve("module-info.java"),
        "module " + module + " { requires org.varflow.api; provides org.varflow.api.solve.Solver with " + module + ".Halt; }");
    Files.writeString(src.resolve("Halt.java"), """
        package %s;
        public final class Halt implements org.varflow.api.solve.Solver {
          public String id() { return "%s"; }
          public String description() { return "stops at once"; }
          public org.varflow.api.solve.SolveResult solve(org.varflow.api.flow.DiscreteFlow f,
              org.varflow.api.Options o, org.varflow.api.solve.Observer obs) {
            return new org.varflow.api.solve.SolveResult(0, 0, true);
          }
        }
        """.formatted(module, id));
    Path classes = tmp.resolve(module + "-classes");
    String javac = Path.of(System.getProperty("java.home"), "bin", "javac").toString();
    String api = Path.of(Plugin.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    List<String> args = List.of(javac, "-d", classes.toString(), "--module-path", api, "--module-version", "1.2.3",
        src.getParent().getParent().getParent().resolve("module-info.java").toString(), src.resolve("Halt.java").toString());
    Process p = new ProcessBuilder(args).inheritIO().start();
    assertThat(p.waitFor()).as("javac exit code").isZero();
    Path jar = Files.createDirectories(tmp.resolve(module + "-jar")).resolve(module + ".jar");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
      try (var files = Files.walk(classes)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
          j.write(Files.readAllBytes(f));
          j.closeEntry();
        }
      }
    }
    return jar;
  }
}
