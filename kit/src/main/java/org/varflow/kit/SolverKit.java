package org.varflow.kit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.varflow.api.Options;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.plugin.Refusal;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.solve.Observer;
import org.varflow.api.solve.SolveContext;
import org.varflow.api.solve.SolveResult;
import org.varflow.api.solve.Solver;
import org.varflow.api.solve.SolverState;
import org.varflow.api.solve.StepRecord;
import org.varflow.api.tensor.Backend;
import org.varflow.api.tensor.Lifetime;
import org.varflow.api.tensor.Tensor;

/**
 * Checks a solver plugin against what every varflow solver promises, on flows of the kit's own whose solution is
 * known in closed form, on every available backend on the test path, in float64:
 *
 * <ul>
 *   <li>{@link #tensorsAreReleased}: no tensor is left live after a whole solve, after a solve its observer stops
 *       early (which must then stop and say so), and after a resumed solve; the flow's state is never released;
 *   <li>{@link #resumesBitForBit}: a solve continued from step k — a new flow holding the state of step k,
 *       {@code first} = k and the {@link SolverState} both as they were when the observer heard of step k (where a
 *       run takes its checkpoints) — ends with the flow's state, the solver state and the records of a solve never
 *       stopped, bit for bit. A solver passes only when it draws every random number from
 *       {@link SolveContext#seed(String, long)} and keeps what it carries from step to step in
 *       {@link SolveContext#state()};
 *   <li>{@link #hasOrder}: with an order p claimed ({@link #order(int)}), the error at t = 1 falls like h^p: the
 *       least-squares slope of log error against log h over h = 0.1, 0.05, 0.025 lies within p ± 0.25 (orders up
 *       to about 5 are measurable before the errors reach rounding).
 * </ul>
 *
 * <p>The flows: {@code logistic}, four particles of equal mass, u̇_j = r_j u_j(1 − u_j) and ẋ_j = −λ_j x_j (x_j ∈ R²)
 * with distinct rates, the gradient flow of E = (1/m)Σ_j V(u_j, x_j) in the particles' metric I/m, with the particle
 * and mini-batch capabilities (every batch an unbiased estimate); {@code quadratic}, the gradient flow of
 * E = ½Σ_i μ_i u_i² − b_i u_i with distinct μ_i in the metric I, with its linear structure.
 * Each check runs on each flow the solver does not refuse ({@link Solver#refusal(VariationalProblem, DiscreteFlow)},
 * asked with the problem of {@link #problem}, or null: the flows discretize none) and names the flow. The kit sets
 * {@code step}, {@code steps} (or {@code time}) and {@code record_every} where the solver declares them, over the
 * options it is given, and removes {@code time}; a solve has seed 1 unless {@link #seed} says, and no problem unless
 * {@link #problem} gives one (a solver that realizes a term, such as Langevin noise for an entropy, reads it there).
 *
 * <p>What is skipped ({@link #skipped()} says so): the resume check and the resumed solve of the tensor check for a
 * solver that does not declare {@link Solver#CHECKPOINT_EVERY} (a run never asks it to continue a solve); the order
 * check when no order is claimed, for a solver without a {@code step} option (a stationary solver has no h), and
 * for one with neither {@code steps} nor {@code time} (its solves cannot be made to end at t = 1); every check on a
 * flow the solver refuses. Every check throws {@link AssertionError} naming the solver, the backend and the flow.
 */
public final class SolverKit implements Kit {
  private static final double STEP = 0.1;
  private static final long STEPS = 12;
  private static final long RESUME_AT = 5;
  private static final long STOP_AT = 3;
  private final Solver solver;
  private final Map<String, ?> options;
  private final List<Backend> backends;
  private OptionalInt order = OptionalInt.empty();
  private long seed = 1;
  private Optional<VariationalProblem> problem = Optional.empty();
  private List<SolverFlows.Kind> accepted;
  private final List<String> refused = new ArrayList<>();

  private SolverKit(Solver solver, Map<String, ?> options) {
    this.solver = solver;
    this.options = options;
    this.backends = KitSupport.backends();
  }

  /**
   * @param solver the solver under test
   * @param options its {@code solver} options besides those the kit sets (step, steps, time, record_every)
   * @return the kit, with no order claimed and seed 1
   */
  public static SolverKit of(Solver solver, Map<String, ?> options) {
    return new SolverKit(solver, options);
  }

  /** @return the kit for {@code solver} with its default options */
  public static SolverKit of(Solver solver) {
    return of(solver, Map.of());
  }

  /** @return this, checking that the solver's error at t = 1 falls like h^p */
  public SolverKit order(int p) {
    this.order = OptionalInt.of(p);
    return this;
  }

  /** @return this, with the flows' initial states and the solves' seed ({@link SolveContext#seed()}) from {@code seed} */
  public SolverKit seed(long seed) {
    this.seed = seed;
    return this;
  }

  /**
   * @param problem the problem every solve gets as {@link SolveContext#problem()}, for a solver that realizes a term
   *     of it (the flow computes none of it: its energy is the kit's own)
   * @return this
   */
  public SolverKit problem(VariationalProblem problem) {
    this.problem = Optional.of(problem);
    this.accepted = null;
    this.refused.clear();
    return this;
  }

  /** @return the backends the checks run on: every available one on the test path */
  public List<Backend> backends() {
    return backends;
  }

  /** @return on every backend {@link #tensorsAreReleased}, then {@link #resumesBitForBit} and {@link #hasOrder} where they apply */
  @Override
  public List<Check> checks() {
    List<Check> checks = new ArrayList<>();
    if (flows().isEmpty()) {
      return checks;
    }
    for (Backend b : backends) {
      checks.add(new Check("tensorsAreReleased on " + b.id(), () -> tensorsAreReleased(b)));
      if (resumable()) {
        checks.add(new Check("resumesBitForBit on " + b.id(), () -> resumesBitForBit(b)));
      }
      if (order.isPresent() && orderSkipped().isEmpty()) {
        checks.add(new Check("hasOrder on " + b.id(), () -> hasOrder(b)));
      }
    }
    return checks;
  }

  @Override
  public List<String> skipped() {
    List<String> out = new ArrayList<>();
    flows();
    out.addAll(refused);
    if (!resumable()) {
      out.add("resumesBitForBit, and the resumed solve of tensorsAreReleased: solver '" + solver.id() + "' does not"
          + " declare " + Solver.CHECKPOINT_EVERY + ", so a run never asks it to continue a solve");
    }
    orderSkipped().ifPresent(out::add);
    return out;
  }

  /**
   * No tensor is left live, and the flow's state is not released, after a whole solve of 12 steps, after a solve
   * whose observer returns false at the record of step 3 (which must end the solve with
   * {@link SolveResult#stoppedByObserver()}, with no further call to the observer), and after a solve resumed at
   * step 5 (when the solver can continue one).
   */
  public void tensorsAreReleased(Backend backend) {
    for (SolverFlows.Kind kind : flows()) {
      String label = label(backend, kind);
      try (SolverFlows.Exact flow = flow(backend, kind)) {
        long start = Lifetime.live();
        solve(label, flow, options(STEP, STEPS, 1), record -> true, 0, new SolverState());
        requireState(label, flow);
        KitSupport.require(Lifetime.live() == start, label, "a whole solve of " + STEPS + " steps leaves "
            + (Lifetime.live() - start) + " tensors live");
      }
      try (SolverFlows.Exact flow = flow(backend, kind)) {
        long start = Lifetime.live();
        Stopper stopper = new Stopper();
        SolveResult result = solve(label, flow, options(STEP, STEPS, 1), stopper, 0, new SolverState());
        requireState(label, flow);
        if (stopper.stoppedAt >= 0) {
          KitSupport.require(result.stoppedByObserver(), label, "the observer stopped the solve at step "
              + stopper.stoppedAt + " but the result says stoppedByObserver = false");
          KitSupport.require(stopper.after == null, label, "the observer stopped the solve at step " + stopper.stoppedAt
              + ", but the solve went on (" + stopper.after + ")");
        }
        KitSupport.require(Lifetime.live() == start, label, (stopper.stoppedAt >= 0 ? "a solve its observer stops at"
            + " step " + stopper.stoppedAt : "a second whole solve (no record to stop at)") + " leaves "
            + (Lifetime.live() - start) + " tensors live");
      }
      if (resumable()) {
        Resumption r = resumption(backend, kind);
        KitSupport.require(r.leftLive == 0, label, "a solve resumed at step " + RESUME_AT + " leaves " + r.leftLive
            + " tensors live");
      }
    }
  }

  /**
   * A solve of 12 steps (a record every 3) continued at step 5 from what a checkpoint holds — the flow's state and
   * {@link SolverState#values()} as they were when {@link Observer#onStep} heard of step 5, with
   * {@code first} = 5 — ends with the flow's state, the solver state and the records from step 5 on of the solve never
   * stopped, bit for bit.
   */
  public void resumesBitForBit(Backend backend) {
    for (SolverFlows.Kind kind : flows()) {
      String label = label(backend, kind);
      Resumption r = resumption(backend, kind);
      String why = ": a solver must draw every random number from context.seed(stream, k) and keep what it carries"
          + " from step to step in context.state()";
      r.whole.forEach((name, expected) -> {
        double[] actual = r.resumed.get(name);
        for (int i = 0; i < expected.length; i++) {
          if (Double.doubleToRawLongBits(actual[i]) != Double.doubleToRawLongBits(expected[i])) {
            throw new AssertionError(String.format(Locale.ROOT, "%s: a solve resumed at step %d (the flow's state and"
                + " the solver state as saved when the observer heard of step %d) ends with %s[%d] = %.17g, one never"
                + " stopped with %.17g%s", label, RESUME_AT, RESUME_AT, name, i, actual[i], expected[i], why));
          }
        }
      });
      KitSupport.require(text(r.resumedSolver).equals(text(r.wholeSolver)), label, "a solve resumed at step " + RESUME_AT
          + " ends with the solver state " + text(r.resumedSolver) + ", one never stopped with " + text(r.wholeSolver)
          + why);
      KitSupport.require(r.resumedRecords.equals(r.wholeRecords), label, "a solve resumed at step " + RESUME_AT
          + " records " + r.resumedRecords + ", one never stopped " + r.wholeRecords + why);
    }
  }

  /**
   * With an order p claimed: the error ‖θ_h(1) − θ(1)‖ against the exact solution falls like h^p, the least-squares
   * slope of log error against log h over h = 0.1, 0.05, 0.025 lying within p ± 0.25.
   */
  public void hasOrder(Backend backend) {
    int p = order.orElseThrow(() -> new IllegalStateException("no order claimed: call order(p) first"));
    orderSkipped().ifPresent(why -> {
      throw new IllegalStateException(why);
    });
    for (SolverFlows.Kind kind : flows()) {
      String label = label(backend, kind);
      double[] h = {STEP, STEP / 2, STEP / 4};
      double[] error = new double[h.length];
      for (int i = 0; i < h.length; i++) {
        long steps = Math.round(1 / h[i]);
        try (SolverFlows.Exact flow = flow(backend, kind)) {
          solve(label, flow, options(h[i], steps, steps), record -> true, 0, new SolverState());
          Map<String, double[]> exact = flow.at(1);
          double sum = 0;
          for (Map.Entry<String, Tensor> e : flow.state().entrySet()) {
            double[] theta = e.getValue().toDoubleArray();
            for (int j = 0; j < theta.length; j++) {
              sum += (theta[j] - exact.get(e.getKey())[j]) * (theta[j] - exact.get(e.getKey())[j]);
            }
          }
          error[i] = Math.sqrt(sum);
        }
      }
      String errors = String.format(Locale.ROOT, "errors %.3e, %.3e, %.3e at h = %s, %s, %s", error[0], error[1],
          error[2], h[0], h[1], h[2]);
      for (double e : error) {
        KitSupport.require(Double.isFinite(e) && e > 1e-13, label, "claims order " + p + ", but its " + errors
            + " are not finite or at rounding level: the kit cannot measure the order");
      }
      double slope = slope(h, error);
      KitSupport.require(Math.abs(slope - p) <= 0.25, label, String.format(Locale.ROOT, "claims order %d, but its error"
          + " at t = 1 falls like h^%.3f (%s; allowed %d ± 0.25)", p, slope, errors, p));
    }
  }

  /** @return the least-squares slope of log e against log h */
  private static double slope(double[] h, double[] e) {
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (int i = 0; i < h.length; i++) {
      double x = Math.log(h[i]);
      double y = Math.log(e[i]);
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    return (h.length * sxy - sx * sy) / (h.length * sxx - sx * sx);
  }

  /**
   * The solves of the resume check: one never stopped, copying what a checkpoint holds when the observer hears of
   * step {@link #RESUME_AT}, and one continued from that copy on a new flow.
   */
  private Resumption resumption(Backend backend, SolverFlows.Kind kind) {
    String label = label(backend, kind);
    Resumption r = new Resumption();
    try (SolverFlows.Exact flow = flow(backend, kind)) {
      SolverState state = new SolverState();
      Observer checkpoint = new Observer() {
        @Override
        public void onStep(long step) {
          if (step == RESUME_AT) {
            r.saved = values(flow);
            r.savedSolver = state.values();
          }
        }

        @Override
        public boolean onRecord(StepRecord record) {
          if (record.step() >= RESUME_AT) {
            r.wholeRecords.add(text(record));
          }
          return true;
        }
      };
      solve(label, flow, options(STEP, STEPS, 3), checkpoint, 0, state);
      r.whole = values(flow);
      r.wholeSolver = state.values();
    }
    KitSupport.require(r.saved != null, label, "the solve never told its observer of step " + RESUME_AT
        + " (Observer.onStep), where a run takes its checkpoints");
    try (SolverFlows.Exact flow = flow(backend, kind)) {
      r.saved.forEach((name, values) -> KitSupport.set(flow.state().get(name), values));
      SolverState state = SolverState.of(r.savedSolver);
      long start = Lifetime.live();
      solve(label, flow, options(STEP, STEPS, 3), record -> r.resumedRecords.add(text(record)), RESUME_AT, state);
      r.leftLive = Lifetime.live() - start;
      requireState(label, flow);
      r.resumed = values(flow);
      r.resumedSolver = state.values();
    }
    return r;
  }

  /** What the resume check compares. */
  private static final class Resumption {
    Map<String, double[]> saved;
    Map<String, double[]> savedSolver;
    Map<String, double[]> whole;
    Map<String, double[]> wholeSolver;
    Map<String, double[]> resumed;
    Map<String, double[]> resumedSolver;
    final List<String> wholeRecords = new ArrayList<>();
    final List<String> resumedRecords = new ArrayList<>();
    long leftLive;
  }

  /** Returns false at the first record at or after step {@link #STOP_AT}, and notes any call after that. */
  private static final class Stopper implements Observer {
    long stoppedAt = -1;
    String after;

    @Override
    public void onStep(long step) {
      if (stoppedAt >= 0 && after == null) {
        after = "onStep(" + step + ")";
      }
    }

    @Override
    public boolean onRecord(StepRecord record) {
      if (stoppedAt >= 0) {
        after = after == null ? "onRecord at step " + record.step() : after;
        return false;
      }
      if (record.step() >= STOP_AT) {
        stoppedAt = record.step();
        return false;
      }
      return true;
    }
  }

  /** @return the kit flows the solver does not refuse (asked once), noting the refusals */
  private List<SolverFlows.Kind> flows() {
    if (accepted == null) {
      if (backends.isEmpty()) {
        throw new IllegalStateException("no available backend on the test path; add varflow-backend-jvm as a test"
            + " dependency");
      }
      accepted = new ArrayList<>();
      for (SolverFlows.Kind kind : SolverFlows.ALL) {
        Optional<Refusal> refusal;
        try (SolverFlows.Exact flow = flow(backends.get(0), kind)) {
          refusal = solver.refusal(problem.orElse(null), flow);
        } catch (RuntimeException e) {
          refusal = Optional.of(new Refusal("solver.kind", "refusal(problem, flow) threw " + e
              + (problem.isEmpty() ? " when asked with no problem (give one with problem(...))" : "")));
        }
        refusal.ifPresentOrElse(r -> refused.add("every check on flow '" + kind.name() + "' (" + kind.what() + "):"
            + " solver '" + solver.id() + "' refuses it: " + r), () -> accepted.add(kind));
      }
    }
    return accepted;
  }

  /** @return why the order check does not run, or empty when it does */
  private Optional<String> orderSkipped() {
    if (order.isEmpty()) {
      return Optional.of("hasOrder: no order claimed (order(p), or varflow kit --order P)");
    }
    if (!declares("step")) {
      return Optional.of("hasOrder: solver '" + solver.id() + "' has no 'step' option, so no order in h to measure");
    }
    if (!declares("steps") && !declares("time")) {
      return Optional.of("hasOrder: solver '" + solver.id() + "' has neither a 'steps' nor a 'time' option, so its"
          + " solves cannot be made to end at t = 1");
    }
    return Optional.empty();
  }

  private boolean resumable() {
    return declares(Solver.CHECKPOINT_EVERY);
  }

  private boolean declares(String option) {
    return solver.options().option(option).isPresent();
  }

  /**
   * @return the solver's options over the kit's {@code step} h, {@code steps} (or {@code time} steps·h) and
   *     {@code record_every}, where declared, checked and completed (a new node for every solve: solvers may write
   *     into it)
   */
  private Options options(double h, long steps, long recordEvery) {
    Map<String, Object> node = new LinkedHashMap<>(options);
    node.remove("time");
    if (declares("step")) {
      node.put("step", h);
    }
    if (declares("steps")) {
      node.put("steps", steps);
    } else if (declares("time")) {
      node.put("time", steps * h);
    }
    if (declares("record_every")) {
      node.put("record_every", recordEvery);
    }
    return solver.options().node("solver", node);
  }

  /** @return the kit flow on {@code backend}, with any linear structure formed (so that counts of live tensors hold) */
  private SolverFlows.Exact flow(Backend backend, SolverFlows.Kind kind) {
    SolverFlows.Exact flow = kind.create().apply(backend.tensors(), seed);
    flow.linear().ifPresent(l -> {
      l.operator();
      l.rhs();
    });
    return flow;
  }

  private SolveResult solve(String label, DiscreteFlow flow, Options options, Observer observer, long first,
      SolverState state) {
    try {
      return solver.solve(new SolveContext(flow, options, observer, problem, first, seed, state));
    } catch (RuntimeException e) {
      throw new AssertionError(label + ": the solve failed: " + e, e);
    }
  }

  private static void requireState(String label, DiscreteFlow flow) {
    flow.state().forEach((name, t) -> {
      try {
        t.sum();
      } catch (IllegalStateException released) {
        throw new AssertionError(label + ": the solve released the flow's state tensor '" + name + "': the flow owns"
            + " its state", released);
      }
    });
  }

  private static Map<String, double[]> values(DiscreteFlow flow) {
    Map<String, double[]> out = new LinkedHashMap<>();
    flow.state().forEach((name, t) -> out.put(name, t.toDoubleArray()));
    return out;
  }

  /** @return the record as text that differs when any of its numbers differs in a bit (shortest round-trip decimals) */
  private static String text(StepRecord record) {
    return record.step() + " t=" + record.time() + " E=" + record.evaluation().energy() + " "
        + new TreeMap<>(record.columns());
  }

  private static String text(Map<String, double[]> values) {
    StringBuilder out = new StringBuilder("{");
    values.forEach((name, v) -> out.append(out.length() > 1 ? ", " : "").append(name).append('=')
        .append(Arrays.toString(v)));
    return out.append('}').toString();
  }

  private String label(Backend backend, SolverFlows.Kind kind) {
    return "solver '" + solver.id() + "' on " + backend.id() + ", flow '" + kind.name() + "'";
  }
}
