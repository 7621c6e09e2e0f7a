package org.varflow.kit;

import java.util.List;

/**
 * A plugin kit: the checks it runs on one plugin, on every available backend on the test path, and what it cannot
 * check there. {@link DiscretizationKit}, {@link SolverKit} and {@link RegularizerKit} are kits; a test calls
 * {@link #verify()}, a tool that reports each check (such as {@code varflow kit JAR}) runs {@link #checks()} one by
 * one.
 */
public interface Kit {

  /** @return the checks that apply to the plugin, in the order {@link #verify()} runs them */
  List<Check> checks();

  /** @return what the kit does not check on this plugin and why, one sentence each; none by default */
  default List<String> skipped() {
    return List.of();
  }

  /**
   * Runs every check.
   *
   * @throws AssertionError from the first check that fails, saying what differs
   * @throws IllegalStateException when no check applies to the plugin ({@link #skipped()} says why), so that a test
   *     of a plugin the kit cannot check does not pass without checking anything
   */
  default void verify() {
    List<Check> checks = checks();
    if (checks.isEmpty()) {
      throw new IllegalStateException("the kit has nothing to check: " + String.join("; ", skipped()));
    }
    checks.forEach(Check::run);
  }
}
