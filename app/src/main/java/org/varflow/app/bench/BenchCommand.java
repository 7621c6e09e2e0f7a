package org.varflow.app.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.varflow.api.Options;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.flow.Discretization;
import org.varflow.api.flow.FlowContext;
import org.varflow.api.plugin.PluginException;
import org.varflow.api.plugin.PluginRegistry;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.FeatureDistribution;
import org.varflow.api.problem.Loss;
import org.varflow.api.problem.ModelKind;
import org.varflow.api.problem.RandomFeatureModel;
import org.varflow.api.problem.Tikhonov;
import org.varflow.api.problem.TwoLayerModel;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.solve.Observer;
import org.varflow.api.solve.SolveContext;
import org.varflow.api.solve.Solver;
import org.varflow.api.solve.StepRecord;
import org.varflow.api.tensor.Activation;
import org.varflow.api.tensor.Backend;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.app.plugins.Plugins;
import org.varflow.runtime.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code varflow bench}: seconds per explicit-Euler step of the particle discretization (median after
 * warm-up) at sizes S, M, L (and XL on request), on every available backend and precision, with GFLOP/s counted as 6·n·m·d
 * per step, beside the same backend's plain gemm GFLOP/s at 2048×2048×2048 (2·2048³ flops); with size M, also
 * an epoch of {@code sgd} (batch 256) and a step of {@code smoothed-particles} (8 draws); with size L, also the
 * stationary solve of the random feature ridge problem (n = 20000, m = 2000, d = 32, float64).
 */
@Command(name = "bench", description = "Time one explicit-Euler particle step on every backend and precision.")
public final class BenchCommand implements Callable<Integer> {
  /**
   * Benchmark sizes: n samples, m particles, d inputs. XL is for GPUs: its n×m temporaries hold 2³⁰ elements. WIDE is
   * the mean-field limit's: a million particles, evaluated in blocks.
   */
  enum Size {
    S(1024, 256, 16), M(8192, 2048, 64), L(16384, 4096, 256), XL(65536, 16384, 256), WIDE(2000, 1_000_000, 10);

    final int n;
    final int m;
    final int d;

    Size(int n, int m, int d) {
      this.n = n;
      this.m = m;
      this.d = d;
    }
  }

  /**
   * The variants timed with size M: s per SGD epoch (32 steps of batch 256) and per smoothed-particle step, at size M;
   * s per explicit-Euler step of the continuous ResNet ({@code resnet}: n = 4096, D = d = 32, L = 16 layers of M = 128
   * particles; its m is L·M).
   */
  enum Variant {
    SGD_EPOCH("s per sgd epoch, batch 256", Size.M.n, Size.M.m, Size.M.d, TwoLayerModel.KIND, "particles",
        Map.of("width", Size.M.m), "sgd", Map.of("batch", 256L), Size.M.n / 256),
    SMOOTHED_STEP("s per smoothed-particles step, 8 draws", Size.M.n, Size.M.m, Size.M.d, TwoLayerModel.KIND,
        "smoothed-particles", Map.of("width", Size.M.m, "draws", 8L), "explicit-euler", Map.of(), 1),
    RESNET_STEP("s per resnet step, L = 16, M = 128, D = 32", 4096, 16 * 128, 32, "flow", "resnet",
        Map.of("depth", 16, "width", 128), "explicit-euler", Map.of(), 1);

    final String text;
    final int n;
    final int m;
    final int d;
    final String model;
    final String discretization;
    final Map<String, ?> discretizationOptions;
    final String solver;
    final Map<String, ?> solverOptions;
    final int scale;

    Variant(String text, int n, int m, int d, String model, String discretization, Map<String, ?> discretizationOptions,
        String solver, Map<String, ?> solverOptions, int scale) {
      this.text = text;
      this.n = n;
      this.m = m;
      this.d = d;
      this.model = model;
      this.discretization = discretization;
      this.discretizationOptions = discretizationOptions;
      this.solver = solver;
      this.solverOptions = solverOptions;
      this.scale = scale;
    }
  }

  /** The size of the random feature ridge case: n samples, m features, d inputs. */
  record Ridge(int n, int m, int d) {
    /** The size timed with size L. */
    static final Ridge L = new Ridge(20000, 2000, 32);

    /** @return the flops counted: the Gram matrix n·m² (as syrk) and the Cholesky factorisation m³/3 */
    double flops() {
      return (double) n * m * m + Math.pow(m, 3) / 3;
    }
  }

  private static final int GEMM_N = 2048;
  /** Most solves timed in the ridge case (after the warm-up ones), whatever --repeats asks for: each takes seconds. */
  private static final int RIDGE_MAX_RUNS = 3;
  /** The solver the ridge case times: the direct solve of the stationary equation A a = b. */
  private static final String RIDGE_SOLVER = "stationary";
  /** Exit status when every case failed. */
  private static final int ALL_FAILED = 3;
  private static final String FORMAT = "%-9s %-8s %-4s %6s %5s %4s %11s %9s %10s %7s%n";

  private final Plugins plugins;

  @picocli.CommandLine.Spec
  CommandSpec command;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Option(names = "--sizes", split = ",", paramLabel = "SIZE", description = "Sizes to run: S, M, L, XL, WIDE (default:"
      + " S,M,L; XL, n = 65536, m = 16384, d = 256, needs ~25 GB in float32 and is meant for GPUs; WIDE, n = 2000,"
      + " m = 10^6, d = 10, is a million particles in blocks: run it alone to read its peak memory).")
  List<Size> sizes = List.of(Size.S, Size.M, Size.L);

  @Option(names = "--backend", split = ",", paramLabel = "ID", description = "Backends (default: every available one).")
  List<String> backends;

  @Option(names = "--precision", split = ",", paramLabel = "P", description = "float32 and/or float64 (default: both).")
  List<String> precisions = List.of("float32", "float64");

  @Option(names = "--repeats", description = "Timed steps per case; the median is reported (default: 10).")
  int repeats = 10;

  @Option(names = "--warmup", description = "Untimed steps before timing (default: 2).")
  int warmup = 2;

  @Inject
  BenchCommand(Plugins plugins) {
    this.plugins = plugins;
  }

  @Override
  public Integer call() throws Exception {
    if (repeats < 1 || warmup < 0) {
      throw new picocli.CommandLine.ParameterException(command.commandLine(), "--repeats must be ≥ 1 and --warmup ≥ 0");
    }
    PluginRegistry registry = plugins.registry();
    List<Precision> chosenPrecisions = precisions.stream().map(BenchCommand::parsePrecision).toList();
    List<Backend> chosen = backends == null
        ? registry.backends().stream().filter(Backend::isAvailable).toList()
        : backends.stream().map(registry::backend).toList();
    PrintWriter out = command.commandLine().getOut();
    if (!json) {
      if (backends == null) {
        registry.backends().stream().filter(b -> !b.isAvailable()).forEach(b -> out.printf("%s: not benchmarked: %s%n",
            b.id(), b.unavailableReason().orElseThrow()));
      }
      out.printf(FORMAT, "backend", "precision", "size", "n", "m", "d", "s/step", "GFLOP/s", "gemm GF/s", "% gemm");
      out.flush();
    }
    List<Map<String, Object>> results = new ArrayList<>();
    for (Backend backend : chosen) {
      for (Precision precision : chosenPrecisions) {
        double gemm = measure(() -> gemmGflops(backend, precision)).orElse(Double.NaN);
        for (Size size : sizes) {
          Map<String, Object> r = row(backend, precision, size.name(), size.n, size.m, size.d);
          r.put("gemm_gflops", gemm);
          results.add(r);
          record(r, () -> secondsPerStep(registry, backend, precision, size), "seconds_per_step", seconds -> {
            double gflops = 6.0 * size.n * size.m * size.d / seconds / 1e9;
            r.put("gflops", gflops);
            r.put("fraction_of_gemm", gflops / gemm);
            return String.format(Locale.ROOT, FORMAT, backend.id(), precision.id(), size, size.n, size.m, size.d,
                String.format(Locale.ROOT, "%.4g", seconds), String.format(Locale.ROOT, "%.1f", gflops),
                String.format(Locale.ROOT, "%.1f", gemm), String.format(Locale.ROOT, "%.0f%%", 100 * gflops / gemm));
          }, out);
          if (size == Size.M || size == Size.L) {
            Object step = r.get("seconds_per_step");
            Map<String, Object> g = row(backend, precision, size.name(), size.n, size.m, size.d);
            g.put("case", "the step's two products alone");
            results.add(g);
            record(g, () -> twoProductsSeconds(backend, precision, size), "seconds", seconds -> {
              String ratio = step instanceof Double s ? String.format(Locale.ROOT, "step = %.2f× these", s / seconds) : "";
              g.put("step_over_products", step instanceof Double s ? s / seconds : Double.NaN);
              return String.format(Locale.ROOT, "%-9s %-8s %-4s %6d %5d %4d %11s  (the step's two products X·Wᵀ, Ψᵀ·X"
                  + " alone; %s)%n", backend.id(), precision.id(), size, size.n, size.m, size.d,
                  String.format(Locale.ROOT, "%.4g", seconds), ratio);
            }, out);
          }
        }
      }
    }
    if (sizes.contains(Size.M)) {
      for (Backend backend : chosen) {
        for (Precision precision : chosenPrecisions) {
          for (Variant variant : Variant.values()) {
            Map<String, Object> r = row(backend, precision, "M", variant.n, variant.m, variant.d);
            r.put("case", variant.text);
            results.add(r);
            record(r, () -> variant.scale * secondsPerStep(registry, backend, precision, variant.n, variant.d,
                Size.M.ordinal(), variant.model, variant.discretization, variant.discretizationOptions, variant.solver,
                variant.solverOptions), "seconds", seconds -> String.format(Locale.ROOT,
                "%-9s %-8s %-4s %6d %5d %4d %11s  (%s)%n", backend.id(), precision.id(), "M", variant.n, variant.m,
                variant.d, String.format(Locale.ROOT, "%.4g", seconds), variant.text), out);
          }
        }
      }
    }
    if (sizes.contains(Size.L)) {
      for (Backend backend : chosen) {
        results.add(ridgeCase(registry, backend, Ridge.L, out));
      }
    }
    long peak = peakResidentBytes();
    if (!json && peak > 0) {
      out.printf(Locale.ROOT, "peak resident memory of this process: %.0f MB%n", peak / 1e6);
    }
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("peak_resident_bytes", peak);
      doc.put("backends", chosen.stream().map(b -> Map.of("id", b.id(), "describe", b.describe())).toList());
      doc.put("repeats", repeats);
      doc.put("warmup", warmup);
      doc.put("results", results);
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
    }
    out.flush();
    return !results.isEmpty() && results.stream().allMatch(r -> r.containsKey("error")) ? ALL_FAILED : 0;
  }

  /** Times the random feature ridge fit of {@code ridge}'s size on {@code backend} and prints its row. */
  Map<String, Object> ridgeCase(PluginRegistry registry, Backend backend, Ridge ridge, PrintWriter out) {
    Map<String, Object> r = row(backend, Precision.FLOAT64, "RF", ridge.n(), ridge.m(), ridge.d());
    r.put("case", "random-features ridge: features + stationary solve");
    record(r, () -> ridgeSolveSeconds(registry, backend, ridge), "seconds", seconds -> {
      double gflops = ridge.flops() / seconds / 1e9;
      r.put("gflops", gflops);
      return String.format(Locale.ROOT, "%-9s %-8s %-4s %6d %5d %4d %11s %9s  (random-features ridge: features + "
          + "stationary solve)%n", backend.id(), "float64", "RF", ridge.n(), ridge.m(), ridge.d(),
          String.format(Locale.ROOT, "%.4g", seconds), String.format(Locale.ROOT, "%.1f", gflops));
    }, out);
    return r;
  }

  /** @return a result row with the case's coordinates */
  private static Map<String, Object> row(Backend backend, Precision precision, String size, int n, int m, int d) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("backend", backend.id());
    r.put("precision", precision.id());
    r.put("size", size);
    r.put("n", n);
    r.put("m", m);
    r.put("d", d);
    return r;
  }

  /**
   * Times one case into {@code r} under {@code key} and prints its table line at once; a case that fails
   * gets its error in its own line (and an {@code error} entry) instead, and the bench goes on.
   */
  private void record(Map<String, Object> r, Callable<Double> timing, String key, Function<Double, String> line,
      PrintWriter out) {
    String text;
    try {
      double seconds = timing.call();
      r.put(key, seconds);
      text = line.apply(seconds);
    } catch (Exception e) {
      String error = e.getClass().getSimpleName() + ": " + e.getMessage();
      r.put("error", error);
      text = String.format(Locale.ROOT, "%-9s %-8s %-4s %6s %5s %4s  failed: %s%n", r.get("backend"), r.get("precision"),
          r.get("size"), r.get("n"), r.get("m"), r.get("d"), error);
    }
    if (!json) {
      out.print(text);
      out.flush();
    }
  }

  /** @return the value, or empty when computing it failed (its row then shows no reference) */
  private static Optional<Double> measure(Callable<Double> f) {
    try {
      return Optional.of(f.call());
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private static Precision parsePrecision(String p) {
    try {
      return Precision.parse(p);
    } catch (IllegalArgumentException e) {
      throw new PluginException("--precision: " + e.getMessage());
    }
  }

  /** Median GFLOP/s of C = A·B at 2048×2048×2048. */
  private double gemmGflops(Backend backend, Precision precision) {
    Tensor a = backend.tensors().normal(precision, 1, 0, 1, GEMM_N, GEMM_N);
    Tensor b = backend.tensors().normal(precision, 2, 0, 1, GEMM_N, GEMM_N);
    double[] times = new double[warmup + repeats];
    for (int i = 0; i < times.length; i++) {
      long t = System.nanoTime();
      Tensor c = a.matmul(b, false, false, 1.0);
      c.get(0, 0);
      times[i] = (System.nanoTime() - t) / 1e9;
      c.release();
    }
    Tensor.releaseAll(a, b);
    return 2.0 * GEMM_N * GEMM_N * GEMM_N / median(times) / 1e9;
  }

  /** Median wall time between consecutive explicit-Euler steps of {@code particles} on random data of the given size. */
  private double secondsPerStep(PluginRegistry registry, Backend backend, Precision precision, Size size) {
    return secondsPerStep(registry, backend, precision, size.n, size.d, size.ordinal(), TwoLayerModel.KIND,
        registry.model(TwoLayerModel.KIND).defaultDiscretization(), Map.of("width", size.m), Spec.DEFAULT_SOLVER,
        Map.of());
  }

  /**
   * Median wall time between consecutive steps of a solver on a discretization of a model with ReLU activation (the
   * kind's other defaults, no bias), on random data of n samples in d dimensions drawn from {@code seed}.
   *
   * @param solverOptions options beside {@code step}, {@code steps} and {@code record_every}
   */
  private double secondsPerStep(PluginRegistry registry, Backend backend, Precision precision, int n, int d, long seed,
      String modelId, String discretizationId, Map<String, ?> discretizationOptions, String solverId,
      Map<String, ?> solverOptions) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] x = new double[n * d];
    double[] y = new double[n];
    Arrays.setAll(x, i -> rng.nextGaussian());
    Arrays.setAll(y, i -> rng.nextGaussian());
    Dataset data = new Dataset("bench", n, d, x, y);
    ModelKind kind = registry.model(modelId);
    Map<String, Object> modelValues = new LinkedHashMap<>(Map.of("activation", "relu"));
    kind.options().option("bias").ifPresent(bias -> modelValues.put("bias", false));
    VariationalProblem problem = new VariationalProblem(data, null, kind.create(kind.options().node("model",
        modelValues), data), Loss.SQUARED, List.of());
    Discretization discretization = registry.discretization(discretizationId);
    Options dNode = discretization.options().node("discretization", discretizationOptions);
    Solver solver = registry.solver(solverId);
    Map<String, Object> sValues = new LinkedHashMap<>(solverOptions);
    sValues.putAll(Map.of("step", 1e-3, "steps", warmup + repeats, "record_every", Long.MAX_VALUE));
    Options sNode = solver.options().node("solver", sValues);
    double[] times = new double[warmup + repeats];
    try (DiscreteFlow flow = discretization.discretize(problem, dNode, new FlowContext(backend, precision, 1))) {
      solver.solve(SolveContext.of(flow, sNode, new Observer() {
        long last = System.nanoTime();

        @Override
        public void onStep(long step) {
          long now = System.nanoTime();
          times[(int) step - 1] = (now - last) / 1e9;
          last = now;
        }

        @Override
        public boolean onRecord(StepRecord record) {
          return true; // the record at step 0 is inside step 1's time, as its evaluation is
        }
      }));
    }
    return median(times);
  }

  /**
   * Median seconds of the whole random feature ridge fit from data (n = 20000, m = 2000, d = 32 with size L),
   * float64: the features Φ = σ(X Wᵀ) ({@code random-features} discretization) and the {@code stationary} solve
   * (form A = ΦᵀΦ/(nm) + αI, Cholesky); GFLOP/s are counted as n·m² + m³/3.
   */
  private double ridgeSolveSeconds(PluginRegistry registry, Backend backend, Ridge ridge) {
    SplittableRandom rng = new SplittableRandom(7);
    double[] x = new double[ridge.n() * ridge.d()];
    double[] y = new double[ridge.n()];
    Arrays.setAll(x, i -> rng.nextGaussian());
    Arrays.setAll(y, i -> rng.nextGaussian());
    VariationalProblem problem = new VariationalProblem(new Dataset("bench ridge", ridge.n(), ridge.d(), x, y), null,
        new RandomFeatureModel(Activation.RELU, false, new FeatureDistribution("gaussian", 1.0)), Loss.SQUARED,
        List.of(new Tikhonov(1e-3)));
    int runs = Math.min(repeats, RIDGE_MAX_RUNS);
    double[] times = new double[warmup + runs];
    for (int i = 0; i < times.length; i++) {
      Discretization features = registry.discretization(registry.model(RandomFeatureModel.KIND).defaultDiscretization());
      Options discretization = features.options().node("discretization", Map.of("width", ridge.m()));
      Solver stationary = registry.solver(RIDGE_SOLVER);
      Options solver = stationary.options().node("solver", Map.of("method", "cholesky"));
      long t = System.nanoTime();
      try (DiscreteFlow flow = features.discretize(problem, discretization,
          new FlowContext(backend, Precision.FLOAT64, 1))) {
        stationary.solve(SolveContext.of(flow, solver, record -> true));
        times[i] = (System.nanoTime() - t) / 1e9;
      }
    }
    return median(times);
  }

  /**
   * Median seconds of the two products of a particle step alone, Z = X·Wᵀ (n×d by d×m) and Ψᵀ·(X⊙r) (m×n by n×d), on
   * random operands of the size: what a step cannot go below.
   */
  private double twoProductsSeconds(Backend backend, Precision precision, Size size) {
    Tensor x = backend.tensors().normal(precision, 1, 0, 1, size.n, size.d);
    Tensor w = backend.tensors().normal(precision, 2, 0, 1, size.m, size.d);
    Tensor psi = backend.tensors().normal(precision, 3, 0, 1, size.n, size.m);
    double[] times = new double[warmup + repeats];
    for (int i = 0; i < times.length; i++) {
      long t = System.nanoTime();
      Tensor z = x.matmul(w, false, true, 1.0);
      Tensor g = psi.matmul(x, true, false, 1.0);
      g.get(0, 0);
      times[i] = (System.nanoTime() - t) / 1e9;
      Tensor.releaseAll(z, g);
    }
    Tensor.releaseAll(x, w, psi);
    return median(times);
  }

  /** @return the process's peak resident set (VmHWM of /proc/self/status), or 0 where the system does not say */
  private static long peakResidentBytes() {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }

  /** Median of the entries after the first {@code warmup}. */
  private double median(double[] times) {
    return median(times, warmup);
  }

  /**
   * @param times the seconds of every repetition, warm-up ones first
   * @param warmup how many of the first are warm-up, left out
   * @return the median of the others (the mean of the middle two for an even count)
   */
  static double median(double[] times, int warmup) {
    double[] timed = Arrays.copyOfRange(times, warmup, times.length);
    Arrays.sort(timed);
    int k = timed.length;
    return k % 2 == 1 ? timed[k / 2] : (timed[k / 2 - 1] + timed[k / 2]) / 2;
  }
}
