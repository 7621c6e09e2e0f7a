package org.varflow.spark;

import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;
import org.varflow.api.OptionSchema;
import org.varflow.api.solve.SolveContext;
import org.varflow.api.solve.SolveResult;
import org.varflow.api.solve.Solver;

/**
 * A test's solver {@code crash-once}: explicit Euler, except that its first solve in a JVM throws an {@link Error}, as
 * an executor lost in the middle of a run would end the task.
 */
public final class CrashOnceSolver implements Solver {
  /** Solves begun in this JVM. */
  static final AtomicInteger ATTEMPTS = new AtomicInteger();

  private final Solver euler = ServiceLoader.load(Solver.class).stream()
      .filter(p -> p.type() != CrashOnceSolver.class).map(ServiceLoader.Provider::get)
      .filter(s -> s.id().equals("explicit-euler")).findFirst().orElseThrow();

  @Override
  public String id() {
    return "crash-once";
  }

  @Override
  public String description() {
    return "explicit Euler whose first solve in a JVM dies (a test's lost executor)";
  }

  @Override
  public OptionSchema options() {
    return euler.options();
  }

  @Override
  public SolveResult solve(SolveContext context) {
    if (ATTEMPTS.incrementAndGet() == 1) {
      throw new Error("executor lost (a test's crash)");
    }
    return euler.solve(context);
  }
}
