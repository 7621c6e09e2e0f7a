package org.varflow.api.tensor;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The lifetime of one block of tensor storage, shared by the tensor that allocated it and every
 * {@link Tensor#reshape} view of it. It ends exactly once, when {@link Tensor#release()} is called on any
 * of them; after that, every operation on any of them throws {@link IllegalStateException} naming the
 * operation, and a second release throws too.
 *
 * <p>Backends create one lifetime per allocation, pass it on to reshape views, call {@link #check} on
 * this tensor and every operand at the start of each operation, and {@link #end} it in
 * {@link Tensor#release()}. The rule then holds alike on every backend, whether its storage is a Java
 * array or native memory that is recycled at once.
 */
public final class Lifetime {
  private static final AtomicLong LIVE = new AtomicLong();
  private final AtomicBoolean ended = new AtomicBoolean();
  private final Runnable free;

  /**
   * Starts the lifetime of a new allocation.
   *
   * @param free what to do with the storage when the lifetime ends (e.g. hand a native buffer back to a
   *     pool); run once, by {@link #end}
   */
  public Lifetime(Runnable free) {
    this.free = free;
    LIVE.incrementAndGet();
  }

  /**
   * @param op the operation about to use the storage, named in the exception
   * @throws IllegalStateException if the lifetime has ended
   */
  public void check(String op) {
    if (ended.get()) {
      throw new IllegalStateException(op + ": the tensor (or a tensor it shares storage with through reshape) was"
          + " released and cannot be used any more");
    }
  }

  /**
   * Ends the lifetime and frees the storage.
   *
   * @throws IllegalStateException if it has already ended (a second release of the tensor or of a view)
   */
  public void end() {
    if (!ended.compareAndSet(false, true)) {
      throw new IllegalStateException("release: the tensor (or a tensor it shares storage with through reshape) was"
          + " already released");
    }
    LIVE.decrementAndGet();
    free.run();
  }

  /** @return whether the storage was released */
  public boolean ended() {
    return ended.get();
  }

  /**
   * @return lifetimes started and not ended in this JVM, on all backends: tensors allocated and not (yet)
   *     released. A loop that releases what it allocates leaves this unchanged from one iteration to the
   *     next, which is how tests find leaks.
   */
  public static long live() {
    return LIVE.get();
  }
}
