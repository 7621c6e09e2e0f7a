package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plugin jar dropped into a directory is put on a module path of its own and found by the registry. */
class PluginDirectoryTest {
  @TempDir
  Path tmp;

  @Test
  void pluginJarInDirectoryShowsUpAndDuplicatesAreRejected() throws Exception {
    Path jar = PluginJars.build(tmp.resolve("one/org.example.halt.jar"), "1.2.3",
        PluginJars.solver("org.example.halt", "halt", "", ""), List.of(PluginJars.api()));
    Cli cli = Cli.run("--plugins", jar.getParent().toString(), "plugins");
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(cli.out()).containsPattern("solver +halt +1\\.2\\.3 +org\\.example\\.halt +available");

    Path dup = Files.createDirectories(tmp.resolve("dup"));
    Files.copy(jar, dup.resolve("a.jar"));
    PluginJars.build(dup.resolve("b.jar"), "1.0", PluginJars.solver("org.example.other", "halt", "", ""),
        List.of(PluginJars.api()));
    Cli twice = Cli.run("--plugins", dup.toString(), "plugins");
    assertThat(twice.exitCode()).isEqualTo(2);
    assertThat(twice.err()).contains("duplicate solver id 'halt'", "module org.example.halt", "module org.example.other");
  }
}
