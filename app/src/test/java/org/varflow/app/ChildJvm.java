package org.varflow.app;

import java.util.ArrayList;
import java.util.List;

/** The command line of {@code varflow} in a new JVM, on the module and class path of the JVM running the tests. */
final class ChildJvm {
  private ChildJvm() {}

  /**
   * @param heap e.g. {@code -Xmx1g}
   * @param args the arguments of {@code varflow}
   * @return the command line
   */
  static List<String> varflow(String heap, String... args) {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), heap,
        "--add-modules", "jdk.incubator.vector", "--module-path", System.getProperty("jdk.module.path"),
        "--add-modules", "ALL-MODULE-PATH", "--class-path", System.getProperty("java.class.path"),
        "-m", "org.varflow.app/org.varflow.app.Main"));
    cmd.addAll(List.of(args));
    return cmd;
  }
}
