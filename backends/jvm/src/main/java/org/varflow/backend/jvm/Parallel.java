package org.varflow.backend.jvm;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;

/**
 * Splits index ranges [0, n) into chunks run on one shared pool of daemon threads.
 *
 * <p>Chunk boundaries depend only on n and the grain, never on the thread count or on scheduling, so
 * reductions that combine per-chunk results in chunk order give the same bits on every machine.
 */
final class Parallel {
  /** Worker threads: the system property {@code varflow.jvm.threads}, else the available processors. */
  static final int THREADS = Math.max(1, Integer.getInteger("varflow.jvm.threads", Runtime.getRuntime().availableProcessors()));

  /** Most chunks one call is split into. */
  private static final int MAX_CHUNKS = 64;

  private static final ForkJoinPool POOL = new ForkJoinPool(THREADS, pool -> {
    ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
    t.setName("varflow-jvm-" + t.getPoolIndex());
    t.setDaemon(true);
    return t;
  }, null, false);

  private Parallel() {}

  /** Work on the index range [from, to). */
  @FunctionalInterface
  interface Range {
    void run(int from, int to);
  }

  /** Work on the index range [from, to) with a result. */
  @FunctionalInterface
  interface RangeResult<T> {
    T run(int from, int to);
  }

  /** Runs {@code body} over [0, n) in chunks of at least {@code grain} indices. */
  static void forRange(int n, int grain, Range body) {
    map(n, grain, (from, to) -> {
      body.run(from, to);
      return null;
    });
  }

  /** @return Σ over chunks of {@code body}, added in chunk order */
  static double sum(int n, int grain, RangeResult<Double> body) {
    double s = 0;
    for (Object part : map(n, grain, body)) {
      s += (Double) part;
    }
    return s;
  }

  /**
   * Runs {@code body} on chunks of [0, n): ⌈n/grain⌉ chunks (at most {@value #MAX_CHUNKS}) of near-equal
   * length, in parallel when there is more than one.
   *
   * @return the chunk results in chunk order
   */
  static Object[] map(int n, int grain, RangeResult<?> body) {
    int chunks = (int) Math.max(1, Math.min(MAX_CHUNKS, ((long) n + grain - 1) / Math.max(1, grain)));
    Object[] out = new Object[chunks];
    if (chunks == 1 || THREADS == 1) {
      for (int c = 0; c < chunks; c++) {
        out[c] = body.run(bound(n, chunks, c), bound(n, chunks, c + 1));
      }
    } else {
      POOL.invoke(new Chunks(n, chunks, 0, chunks, body, out));
    }
    return out;
  }

  /** @return the start of chunk c when [0, n) is cut into {@code chunks} near-equal chunks */
  private static int bound(int n, int chunks, int c) {
    return (int) ((long) n * c / chunks);
  }

  /** Chunks [lo, hi), split in halves until one chunk remains. */
  private static final class Chunks extends RecursiveAction {
    private static final long serialVersionUID = 1L;
    private final int n;
    private final int chunks;
    private final int lo;
    private final int hi;
    private final transient RangeResult<?> body;
    private final transient Object[] out;

    Chunks(int n, int chunks, int lo, int hi, RangeResult<?> body, Object[] out) {
      this.n = n;
      this.chunks = chunks;
      this.lo = lo;
      this.hi = hi;
      this.body = body;
      this.out = out;
    }

    @Override
    protected void compute() {
      if (hi - lo == 1) {
        out[lo] = body.run(bound(n, chunks, lo), bound(n, chunks, lo + 1));
      } else {
        int mid = (lo + hi) >>> 1;
        invokeAll(new Chunks(n, chunks, lo, mid, body, out), new Chunks(n, chunks, mid, hi, body, out));
      }
    }
  }
}
