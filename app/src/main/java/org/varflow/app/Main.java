package org.varflow.app;

import com.google.inject.Guice;
import com.google.inject.Injector;

/**
 * Entry point of {@code varflow}. Exit codes: 0 ok; 1 internal error; 2 bad usage, spec or data (the
 * message names the key or file); 3 the run failed (divergence, NaN, backend error).
 */
public final class Main {
  private Main() {}

  /** @param args command line */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /**
   * Runs one command line in this process.
   *
   * @return the exit code
   */
  public static int execute(String... args) {
    Injector injector = Guice.createInjector(new VarflowModule());
    try {
      return VarflowCommand.commandLine(injector).execute(args);
    } catch (OutOfMemoryError e) {
      // what the estimate before the run did not foresee (e.g. data, or a plugin without a footprint)
      System.err.println("error: run failed: out of memory (" + e.getMessage() + "); use smaller sizes, float32, or more"
          + " memory (VARFLOW_JAVA_OPTS=-Xmx…)");
      return 3;
    }
  }
}
