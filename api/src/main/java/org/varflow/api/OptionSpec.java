package org.varflow.api;

import java.util.List;

/**
 * One declared option of a spec node: its name, type, default, allowed values and a one-line doc.
 * Build them with {@link OptionSchema.Builder}; {@link OptionSchema} checks spec nodes against them.
 *
 * @param name the key
 * @param type what values it takes
 * @param doc one line saying what it means
 * @param defaultValue the value written into the node when the key is absent, or null when there is none
 *     (the option is optional, or its default depends on other values: see {@code defaultText})
 * @param defaultText how the default reads in documentation (the static default, or e.g. {@code 2·degree + 8})
 * @param min the smallest allowed number, or null
 * @param max the largest allowed number, or null
 * @param exclusiveMin whether {@code min} itself is excluded (a positive number: min 0, exclusive)
 * @param choices the allowed values of a {@link Type#CHOICE}, else empty
 * @param required whether the key must be given
 * @param node the options of a {@link Type#NODE} or of each element of {@link Type#NODES}, else null
 */
public record OptionSpec(String name, Type type, String doc, Object defaultValue, String defaultText, Double min,
    Double max, boolean exclusiveMin, List<String> choices, boolean required, OptionSchema node) {

  /** The kinds of values an option takes. */
  public enum Type {
    /** A real number. */
    NUMBER,
    /** A whole number. */
    INTEGER,
    /** true or false. */
    BOOLEAN,
    /** Any single value, read as text. */
    STRING,
    /** One of {@link OptionSpec#choices()}. */
    CHOICE,
    /** A file or directory; a relative path is resolved against the spec's directory. */
    PATH,
    /** A list of numbers. */
    NUMBERS,
    /** A mapping with options of its own. */
    NODE,
    /** A list of mappings, each with the options of {@link OptionSpec#node()}. */
    NODES
  }

  /** Copies the choices. */
  public OptionSpec {
    choices = List.copyOf(choices);
  }

  /** @return e.g. {@code ≥ 1}, {@code > 0}, {@code in [0, 1]}, or empty when unbounded */
  public String rangeText() {
    String lower = min == null ? null : (exclusiveMin ? "> " : "≥ ") + number(min);
    if (max == null) {
      return lower == null ? "" : lower;
    }
    return lower == null ? "≤ " + number(max) : "in " + (exclusiveMin ? "(" : "[") + number(min) + ", " + number(max) + "]";
  }

  private static String number(double x) {
    return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
  }
}
