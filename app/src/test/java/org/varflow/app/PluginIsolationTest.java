package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each plugin in the plugin directory gets a module layer of its own, so two plugins may bring different
 * versions of one library; a plugin that cannot be used is reported with the reason and skipped while the
 * others load.
 */
class PluginIsolationTest {
  @TempDir
  Path tmp;

  /** A library module {@code org.example.lib} whose {@code Lib.version()} says which version it is. */
  private Path library(String version) throws Exception {
    return PluginJars.build(tmp.resolve("libs/lib-" + version + ".jar"), version, Map.of(
        "module-info.java", "module org.example.lib { exports org.example.lib; }",
        "org/example/lib/Lib.java", "package org.example.lib; public final class Lib { public static String version() {"
            + " return \"" + version + "\"; } }"), List.of());
  }

  @Test
  void twoPluginsBringTwoVersionsOfOneLibrary() throws Exception {
    Path plugins = tmp.resolve("plugins");
    for (String[] p : new String[][] {{"a", "1.0"}, {"b", "2.0"}}) {
      Path lib = library(p[1]);
      Path folder = Files.createDirectories(plugins.resolve(p[0]));
      Files.copy(lib, folder.resolve(lib.getFileName()));
      PluginJars.build(folder.resolve(p[0] + ".jar"), "1.0", PluginJars.solver("org.example." + p[0], "solver-" + p[0],
          "requires org.example.lib;", "public String description() { return \"uses lib \" + org.example.lib.Lib.version(); }"),
          List.of(PluginJars.api(), lib));
    }
    Cli list = Cli.run("--plugins", plugins.toString(), "plugins");
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out()).containsPattern("solver +solver-a +1\\.0 +org\\.example\\.a +available")
        .containsPattern("solver +solver-b +1\\.0 +org\\.example\\.b +available");
    assertThat(Cli.run("--plugins", plugins.toString(), "plugins", "--describe", "solver-a").out()).contains("uses lib 1.0");
    assertThat(Cli.run("--plugins", plugins.toString(), "plugins", "--describe", "solver-b").out()).contains("uses lib 2.0");
  }

  /**
   * Plugin {@code base} exports a type that plugin {@code derived}, a jar of its own beside it, requires (as a
   * discretization plugin requires the model type of a model plugin); {@code orphan} requires a plugin that is broken,
   * and {@code ping} and {@code pong} require each other.
   */
  @Test
  void aPluginMayRequireTheModulesOfAnother() throws Exception {
    Path plugins = Files.createDirectories(tmp.resolve("plugins"));
    Map<String, String> base = new java.util.HashMap<>(PluginJars.solver("org.example.base", "base", "", ""));
    base.put("module-info.java", base.get("module-info.java").replace("{", "{ exports org.example.base.shared;"));
    base.put("org/example/base/shared/Shared.java",
        "package org.example.base.shared; public final class Shared { public static String text() { return \"shared\"; } }");
    Path baseJar = PluginJars.build(plugins.resolve("base.jar"), "1.0", base, List.of(PluginJars.api()));
    PluginJars.build(plugins.resolve("derived.jar"), "1.0", PluginJars.solver("org.example.derived", "derived",
        "requires org.example.base;", "public String description() { return \"uses \" +"
        + " org.example.base.shared.Shared.text(); }"), List.of(PluginJars.api(), baseJar));
    Path broken = PluginJars.build(plugins.resolve("broken/broken.jar"), "1.0", PluginJars.solver("org.example.broken",
        "broken", "requires org.example.lib;", ""), List.of(PluginJars.api(), library("1.0")));
    PluginJars.build(plugins.resolve("orphan.jar"), "1.0", PluginJars.solver("org.example.orphan", "orphan",
        "requires org.example.broken;", ""), List.of(PluginJars.api(), broken));

    Cli list = Cli.run("--plugins", plugins.toString(), "plugins");
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out()).containsPattern("solver +base +1\\.0 +org\\.example\\.base +available")
        .containsPattern("solver +derived +1\\.0 +org\\.example\\.derived +available")
        .containsPattern("plugin +\\? +\\? +broken +broken: its modules do not resolve: .*org\\.example\\.lib")
        .containsPattern("plugin +\\? +\\? +orphan\\.jar +broken: it requires module org\\.example\\.broken of plugin"
            + " broken, which is broken");
    assertThat(list.out().lines().filter(l -> l.matches("solver +base .*"))).hasSize(1);
    assertThat(Cli.run("--plugins", plugins.toString(), "plugins", "--describe", "derived").out()).contains("uses shared");
  }

  @Test
  void aBrokenPluginIsReportedAndSkipped() throws Exception {
    Path plugins = Files.createDirectories(tmp.resolve("plugins"));
    PluginJars.build(plugins.resolve("good.jar"), "1.0", PluginJars.solver("org.example.good", "good", "", ""),
        List.of(PluginJars.api()));
    PluginJars.build(plugins.resolve("throws.jar"), "1.0", PluginJars.solver("org.example.bad", "bad", "",
        "public S() { throw new IllegalStateException(\"no licence file\"); }"), List.of(PluginJars.api()));
    PluginJars.build(plugins.resolve("old.jar"), "1.0", PluginJars.solver("org.example.old", "old", "", ""),
        List.of(PluginJars.apiAs(tmp.resolve("old-api/api.jar"), "0.0.7")));
    Path lib = library("1.0");
    Path missing = Files.createDirectories(plugins.resolve("missing"));
    PluginJars.build(missing.resolve("needs-lib.jar"), "1.0", PluginJars.solver("org.example.needs", "needs",
        "requires org.example.lib;", ""), List.of(PluginJars.api(), lib));

    Cli cli = Cli.run("--plugins", plugins.toString(), "plugins");
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(cli.out()).containsPattern("solver +good +1\\.0 +org\\.example\\.good +available")
        .containsPattern("solver +\\? .* broken: .*no licence file")
        .containsPattern("solver +old +1\\.0 +org\\.example\\.old +broken: module org\\.example\\.old was built against"
            + " varflow api 0\\.0\\.7, but this is 0\\.1\\.0-SNAPSHOT")
        .containsPattern("plugin +\\? +\\? +missing +broken: its modules do not resolve: .*org\\.example\\.lib");
    Cli run = Cli.run("--plugins", plugins.toString(), "run", "--set", "backend=jvm", "--set", "solver={kind: old}");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("error: solver.kind: no solver with id 'old' (installed: ").contains( "skipped: ", "org.example.old (broken: module org.example.old"
        + " was built against varflow api 0.0.7");
  }
}
