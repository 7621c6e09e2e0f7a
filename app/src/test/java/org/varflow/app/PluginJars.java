package org.varflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import org.varflow.api.plugin.Plugin;

/**
 * Builds small module jars in a test, as a plugin author would with javac and jar (no Maven); also used by the Spark
 * engine's tests (the app's test jar).
 */
public final class PluginJars {
  private PluginJars() {}

  /** @return the jar (or classes directory) of the varflow api the tests run with */
  public static Path api() throws Exception {
    return Path.of(Plugin.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  /**
   * Compiles one module and packs it.
   *
   * @param jar the jar to write
   * @param version the module version recorded in the jar
   * @param sources file path below the source root (module-info.java first) → source text
   * @param modulePath what it compiles against
   * @return {@code jar}
   */
  public static Path build(Path jar, String version, Map<String, String> sources, List<Path> modulePath)
      throws Exception {
    Path work = Files.createTempDirectory("varflow-plugin-build");
    Path src = work.resolve("src");
    List<String> args = new ArrayList<>(List.of("-d", work.resolve("classes").toString(), "--module-version", version));
    if (!modulePath.isEmpty()) {
      args.addAll(List.of("--module-path", modulePath.stream().map(Path::toString).collect(Collectors.joining(":"))));
    }
    for (Map.Entry<String, String> e : sources.entrySet()) {
      Path file = src.resolve(e.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, e.getValue());
      args.add(file.toString());
    }
    try {
      run("javac", args);
      Files.createDirectories(jar.getParent());
      run("jar", List.of("--create", "--file", jar.toString(), "--module-version", version, "-C",
          work.resolve("classes").toString(), "."));
      return jar;
    } finally {
      try (var files = Files.walk(work)) { // the sources and classes: the jar is all a test needs
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
  }

  /**
   * Compiles the module whose sources lie below {@code sourceRoot} (module-info.java at its top), as a plugin
   * author does with javac and jar.
   */
  public static Path build(Path jar, String version, Path sourceRoot, List<Path> modulePath) throws Exception {
    Map<String, String> sources = new java.util.TreeMap<>();
    try (var files = Files.walk(sourceRoot)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        sources.put(sourceRoot.relativize(f).toString(), Files.readString(f));
      }
    }
    return build(jar, version, sources, modulePath);
  }

  /** @return where the class of {@code plugin} was loaded from (its module's jar) */
  public static Path location(Object plugin) throws Exception {
    return Path.of(plugin.getClass().getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  /** @return a copy of the api jar that claims to be version {@code version} (to build a plugin "against" it) */
  static Path apiAs(Path jar, String version) throws Exception {
    Path api = api();
    Files.createDirectories(jar.getParent());
    if (Files.isDirectory(api)) {
      run("jar", List.of("--create", "--file", jar.toString(), "--module-version", version, "-C", api.toString(), "."));
    } else {
      Files.copy(api, jar);
      run("jar", List.of("--update", "--file", jar.toString(), "--module-version", version));
    }
    return jar;
  }

  /** @return the sources of a solver module {@code module} with id {@code id}; {@code body} goes into the class */
  static Map<String, String> solver(String module, String id, String requires, String body) {
    String pkg = module;
    return Map.of(
        "module-info.java", "module " + module + " { requires org.varflow.api; " + requires
            + " provides org.varflow.api.solve.Solver with " + pkg + ".S; }",
        pkg.replace('.', '/') + "/S.java", """
            package %s;
            public final class S implements org.varflow.api.solve.Solver {
              public String id() { return "%s"; }
              public org.varflow.api.solve.SolveResult solve(org.varflow.api.solve.SolveContext c) {
                return new org.varflow.api.solve.SolveResult(0, 0, true);
              }
              %s
            }
            """.formatted(pkg, id, body.contains("description()") ? body
                : body + " public String description() { return \"a test solver\"; }"));
  }

  private static void run(String tool, List<String> args) {
    StringWriter out = new StringWriter();
    int code = ToolProvider.findFirst(tool).orElseThrow().run(new PrintWriter(out), new PrintWriter(out),
        args.toArray(String[]::new));
    assertThat(code).as("%s %s%n%s", tool, args, out).isZero();
  }
}
