package org.varflow.models;

import org.varflow.api.problem.Tikhonov;

/** {@code regularizers[i].kind: tikhonov}: (α/2) ∫ a² dπ on the outer function of random features. */
public final class TikhonovKind extends Strength {
  /** The provider. */
  public TikhonovKind() {
    super(Tikhonov.KIND, "(α/2) ∫ a² dπ on the outer function of random features", Tikhonov::new);
  }
}
