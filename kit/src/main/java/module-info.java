/**
 * The plugin kit: {@link org.varflow.kit.DiscretizationKit}, {@link org.varflow.kit.SolverKit} and
 * {@link org.varflow.kit.RegularizerKit} check a plugin against what every varflow plugin of its kind promises, on
 * every backend on the test path. A plugin author adds it as a test dependency; the checks throw
 * {@link AssertionError}, so any test framework runs them.
 */
module org.varflow.kit {
  requires transitive org.varflow.api;

  exports org.varflow.kit;

  uses org.varflow.api.tensor.Backend;
}
