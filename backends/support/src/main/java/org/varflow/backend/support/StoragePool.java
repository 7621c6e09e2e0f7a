package org.varflow.backend.support;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.varflow.api.tensor.Lifetime;

/**
 * Recycles released tensor storage by key (for example data type and shape), for backends whose
 * allocations are expensive: a fresh block of native memory, or a large zeroed Java array, costs a page
 * fault per 4 KiB or a zeroing pass, and a gradient-flow step allocates the same temporaries every step.
 * A backend gives storage back when a tensor's {@link Lifetime} ends and takes from here before it
 * allocates; a block is reused at most once at a time, so the lifetime rule keeps a released tensor from
 * reading its successor's numbers.
 *
 * @param <S> the storage type, e.g. {@code float[]} or a native array
 */
public final class StoragePool<S> {
  private final int perKey;
  private final Consumer<S> discard;
  private final Map<Object, ArrayDeque<S>> free = new HashMap<>();

  /**
   * @param perKey most free blocks kept per key; more are discarded
   * @param discard what to do with a block the pool does not keep (e.g. free native memory now)
   */
  public StoragePool(int perKey, Consumer<S> discard) {
    this.perKey = perKey;
    this.discard = discard;
  }

  /**
   * @param key what the storage must match (equal keys mean interchangeable blocks)
   * @param allocate makes a new block when none is free
   * @return a free block for {@code key}, with arbitrary contents, or a new one
   */
  public S take(Object key, Supplier<S> allocate) {
    S block;
    synchronized (this) {
      ArrayDeque<S> blocks = free.get(key);
      block = blocks == null ? null : blocks.poll();
    }
    return block != null ? block : allocate.get();
  }

  /** Takes back a block that nothing uses any more; discards it when {@code perKey} blocks of its key are free. */
  public void give(Object key, S block) {
    boolean kept;
    synchronized (this) {
      ArrayDeque<S> blocks = free.computeIfAbsent(key, k -> new ArrayDeque<>());
      kept = blocks.size() < perKey && blocks.add(block);
    }
    if (!kept) {
      discard.accept(block);
    }
  }

  /** Discards every free block (e.g. to return device memory before retrying an allocation that failed). */
  public void clear() {
    List<S> blocks = new ArrayList<>();
    synchronized (this) {
      free.values().forEach(blocks::addAll);
      free.clear();
    }
    blocks.forEach(discard);
  }
}
