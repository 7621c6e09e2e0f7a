package org.varflow.backend.support;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.varflow.api.tensor.Backend;

/**
 * Reads why a native backend's libraries failed to load, so that its {@link Backend#unavailableReason()} names the
 * missing library in the user's terms instead of passing on a loader's stack of messages.
 */
public final class NativeLibraries {
  /** The dynamic linker's wording for a dependency it could not find. */
  private static final Pattern MISSING = Pattern.compile("(lib[A-Za-z0-9_+.-]+?\\.so[.0-9]*): cannot open shared object");

  private NativeLibraries() {}

  /** @return the messages of {@code error} and of its causes, joined with spaces */
  public static String messages(Throwable error) {
    StringBuilder out = new StringBuilder(String.valueOf(error.getMessage()));
    for (Throwable t = error.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      out.append(' ').append(t.getMessage());
    }
    return out.toString();
  }

  /**
   * @param error what loading a native library threw (an {@link UnsatisfiedLinkError}, or an error wrapping one)
   * @return the soname the dynamic linker could not find (e.g. {@code libcublas.so.13}), if the messages say so
   */
  public static Optional<String> missing(Throwable error) {
    Matcher m = MISSING.matcher(messages(error));
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }
}
