package org.varflow.api.plugin;

/**
 * The plugin set is unusable: a requested id is missing, two modules provide the same id, or a backend
 * cannot run here. The message says how to fix it.
 */
public class PluginException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message what is wrong and how to fix it */
  public PluginException(String message) {
    super(message);
  }
}
