package org.varflow.api.solve;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a solver carries from step to step besides the flow's state (SAV's auxiliary variable r, a sampler's
 * position in its stream): named arrays that a run saves, exactly, with every checkpoint and gives back on
 * resume. A solver keeps its entries current before each {@link Observer#onStep}, where checkpoints are taken.
 */
public final class SolverState {
  private final Map<String, double[]> values = new LinkedHashMap<>();

  /** Creates an empty state. */
  public SolverState() {}

  /**
   * @param values the entries a checkpoint saved, by name
   * @return the state holding copies of them
   */
  public static SolverState of(Map<String, double[]> values) {
    SolverState state = new SolverState();
    values.forEach(state::put);
    return state;
  }

  /** Sets the entry {@code name} to a copy of {@code value}. */
  public void put(String name, double... value) {
    if (!name.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("solver state name '" + name + "': letters, digits, '_', '.', '-' only (it"
          + " names a file)");
    }
    values.put(name, value.clone());
  }

  /** @return a copy of the entry {@code name}, or empty when there is none (a new solve) */
  public Optional<double[]> get(String name) {
    return Optional.ofNullable(values.get(name)).map(double[]::clone);
  }

  /** @return copies of every entry, in the order they were first put */
  public Map<String, double[]> values() {
    Map<String, double[]> out = new LinkedHashMap<>();
    values.forEach((name, value) -> out.put(name, value.clone()));
    return out;
  }
}
