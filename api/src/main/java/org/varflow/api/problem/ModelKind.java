package org.varflow.api.problem;

import org.varflow.api.Options;
import org.varflow.api.plugin.Plugin;

/**
 * A kind of continuous model ({@code model.kind} = {@link #id()}): declares the options of the
 * {@code model} node ({@link #options()}), builds the {@link Model} from them, and names the discretization
 * a spec gets when it does not choose one. Found with {@link java.util.ServiceLoader} like every plugin:
 * {@code provides org.varflow.api.problem.ModelKind with ...}.
 */
public interface ModelKind extends Plugin {

  /**
   * @param node the {@code model} node, checked and completed by {@link #options()}
   * @param train the training data (their dimension d fixes shapes such as the parameter domain)
   * @return the model
   * @throws org.varflow.api.SpecException naming the key whose value does not fit
   */
  Model create(Options node, Dataset train);

  /** @return the id of the discretization used when {@code discretization.kind} is not given */
  String defaultDiscretization();
}
