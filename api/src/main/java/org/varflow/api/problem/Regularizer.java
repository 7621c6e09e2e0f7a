package org.varflow.api.problem;

/** A regularizing functional added to the risk; its energy is reported under {@link #kind()}. */
public interface Regularizer {
  /** @return the spec spelling of {@code regularizers[i].kind}, e.g. {@code weight-decay} */
  String kind();

  /** @return the strength multiplying the functional */
  double strength();
}
