package org.varflow.api;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A typed, path-aware view of one node of a specification tree (YAML mapping).
 *
 * <p>A node is checked and completed against its declaration ({@link OptionSchema#apply}) before it is
 * read: getters without a default read what the declaration wrote; getters that take a default (for a
 * default the reader computes) <em>write it back</em> into the tree, so that after a run has read its
 * options the tree is the fully resolved specification. Errors are {@link SpecException}s naming the full
 * key path.
 */
public final class Options {
  private final String path;
  private final Map<String, Object> node;

  private Options(String path, Map<String, Object> node) {
    this.path = path;
    this.node = node;
  }

  /**
   * Wraps a mutable tree; nested maps must be mutable too.
   *
   * @param path dotted path of this node ("" for the root)
   * @param node the mapping
   * @return a view that fills defaults into {@code node}
   */
  public static Options of(String path, Map<String, Object> node) {
    return new Options(path, node);
  }

  /** @return a deep copy of {@code tree} with mutable maps and lists, as {@link #of} needs */
  public static Map<String, Object> mutableCopy(Map<String, ?> tree) {
    return copy(tree, false);
  }

  /** @return a deep copy of {@code tree} whose maps and lists cannot be changed (insertion order kept) */
  public static Map<String, Object> immutableCopy(Map<String, ?> tree) {
    return copy(tree, true);
  }

  private static Map<String, Object> copy(Map<String, ?> tree, boolean frozen) {
    Map<String, Object> out = new LinkedHashMap<>();
    tree.forEach((k, v) -> out.put(k, copyValue(v, frozen)));
    return frozen ? java.util.Collections.unmodifiableMap(out) : out;
  }

  private static Object copyValue(Object v, boolean frozen) {
    if (v instanceof Map<?, ?> m) {
      @SuppressWarnings("unchecked")
      Map<String, ?> map = (Map<String, ?>) m;
      return copy(map, frozen);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(copyValue(x, frozen)));
      return frozen ? java.util.Collections.unmodifiableList(out) : out;
    }
    return v;
  }

  /** @return an empty, detached option node (all defaults) */
  public static Options empty(String path) {
    return of(path, new LinkedHashMap<>());
  }

  /** @return the dotted path of this node */
  public String path() {
    return path;
  }

  /** @return the full dotted path of {@code key} below this node */
  public String keyPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** @return the underlying (live) mapping */
  public Map<String, Object> asMap() {
    return node;
  }

  /** @return whether {@code key} is present */
  public boolean has(String key) {
    return node.containsKey(key) && node.get(key) != null;
  }

  private Object raw(String key) {
    return node.get(key);
  }

  private Object rawOrDefault(String key, Object def) {
    Object v = raw(key);
    if (v == null && def != null) {
      node.put(key, def);
      return def;
    }
    return v;
  }

  /** @return the number at {@code key}, or {@code def} (recorded) when absent */
  public double getDouble(String key, double def) {
    return toDouble(key, rawOrDefault(key, def));
  }

  /** @return the number at {@code key}; fails naming the key when absent */
  public double requireDouble(String key) {
    return toDouble(key, require(key));
  }

  /** @return the number at {@code key}, which a declaration ({@link OptionSchema}) filled in; fails naming the key when absent */
  public double getDouble(String key) {
    return requireDouble(key);
  }

  /** @return the whole number at {@code key}, which a declaration filled in; fails naming the key when absent */
  public long getLong(String key) {
    return toLong(key, require(key));
  }

  /** @return the whole number at {@code key}, which a declaration filled in; fails naming the key when absent */
  public int getInt(String key) {
    Object written = raw(key);
    return toInt(key, written, getLong(key));
  }

  /** @return the text at {@code key}, which a declaration filled in; fails naming the key when absent */
  public String getString(String key) {
    return requireString(key);
  }

  /** @return the boolean at {@code key}, which a declaration filled in; fails naming the key when absent */
  public boolean getBoolean(String key) {
    require(key);
    return getBoolean(key, false);
  }

  /** @return the numbers at {@code key}, which a declaration filled in; fails naming the key when absent */
  public double[] getDoubles(String key) {
    require(key);
    return getDoubles(key, new double[0]);
  }

  /** @return the whole number at {@code key}, or {@code def} (recorded) when absent */
  public long getLong(String key, long def) {
    return toLong(key, rawOrDefault(key, def));
  }

  /** @return the whole number at {@code key}, or {@code def} (recorded) when absent */
  public int getInt(String key, int def) {
    Object written = raw(key);
    return toInt(key, written, getLong(key, def));
  }


  /** @return the number at {@code key} if present */
  public Optional<Double> findDouble(String key) {
    Object v = raw(key);
    return v == null ? Optional.empty() : Optional.of(toDouble(key, v));
  }

  /**
   * @return the list of numbers at {@code key}, or {@code def} (recorded) when absent
   * @throws SpecException naming the key when it is not a list of numbers
   */
  public double[] getDoubles(String key, double[] def) {
    Object v = raw(key);
    if (v == null) {
      List<Double> boxed = new ArrayList<>();
      for (double d : def) {
        boxed.add(d);
      }
      node.put(key, boxed);
      return def.clone();
    }
    if (!(v instanceof List<?> items)) {
      throw new SpecException(keyPath(key), "expected a list of numbers, got '" + v + "'");
    }
    double[] out = new double[items.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(items.get(i) instanceof Number n)) {
        throw new SpecException(keyPath(key) + "[" + i + "]", "expected a number, got '" + items.get(i) + "'");
      }
      out[i] = n.doubleValue();
    }
    return out;
  }

  /** @return the boolean at {@code key}, or {@code def} (recorded) when absent */
  public boolean getBoolean(String key, boolean def) {
    Object v = rawOrDefault(key, def);
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
      boolean b = Boolean.parseBoolean(s);
      node.put(key, b);
      return b;
    }
    throw new SpecException(keyPath(key), "expected true or false, got '" + v + "'");
  }

  /** @return the string at {@code key}, or {@code def} (recorded) when absent */
  public String getString(String key, String def) {
    Object v = rawOrDefault(key, def);
    return v == null ? null : scalar(key, v);
  }


  /** @return the string at {@code key}; fails naming the key when absent */
  public String requireString(String key) {
    return scalar(key, require(key));
  }

  /**
   * @param allowed the accepted values
   * @return the string at {@code key} (or {@code def}), checked against {@code allowed}
   */
  public String getChoice(String key, String def, List<String> allowed) {
    String v = getString(key, def);
    if (!allowed.contains(v)) {
      throw new SpecException(keyPath(key), "'" + v + "' is not one of " + String.join(", ", allowed));
    }
    return v;
  }

  /** @return the mapping at {@code key} if present */
  @SuppressWarnings("unchecked")
  public Optional<Options> sub(String key) {
    Object v = raw(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof Map)) {
      throw new SpecException(keyPath(key), "expected a mapping, got '" + v + "'");
    }
    return Optional.of(new Options(keyPath(key), (Map<String, Object>) v));
  }

  /** @return the mapping at {@code key}, created empty (and recorded) when absent */
  public Options subOrEmpty(String key) {
    if (!has(key)) {
      node.put(key, new LinkedHashMap<String, Object>());
    }
    return sub(key).orElseThrow();
  }

  /** @return the list of mappings at {@code key}; empty when absent */
  @SuppressWarnings("unchecked")
  public List<Options> list(String key) {
    Object v = raw(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> items)) {
      throw new SpecException(keyPath(key), "expected a list, got '" + v + "'");
    }
    List<Options> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      if (!(items.get(i) instanceof Map)) {
        throw new SpecException(keyPath(key) + "[" + i + "]", "expected a mapping, got '" + items.get(i) + "'");
      }
      out.add(new Options(keyPath(key) + "[" + i + "]", (Map<String, Object>) items.get(i)));
    }
    return out;
  }

  private Object require(String key) {
    Object v = raw(key);
    if (v == null) {
      throw new SpecException(keyPath(key), "is required");
    }
    return v;
  }

  private String scalar(String key, Object v) {
    if (v instanceof Map || v instanceof List) {
      throw new SpecException(keyPath(key), "expected a single value, got '" + v + "'");
    }
    return String.valueOf(v);
  }

  private double toDouble(String key, Object v) {
    double d;
    try {
      d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(scalar(key, v).trim());
    } catch (NumberFormatException e) {
      throw new SpecException(keyPath(key), "expected a number, got '" + v + "'");
    }
    if (!Double.isFinite(d)) {
      throw notFinite(keyPath(key), v);
    }
    if (!(v instanceof Number)) {
      node.put(key, d);
    }
    return d;
  }

  /**
   * @param key the full key
   * @param value the value as given, e.g. {@code .nan} or {@code -Infinity}
   * @return the error of a number that is not finite (NaN or ±∞) at {@code key}
   */
  public static SpecException notFinite(String key, Object value) {
    return new SpecException(key, "must be a finite number, got " + value);
  }

  private long toLong(String key, Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger b) {
      if (b.bitLength() > 63) {
        throw new SpecException(keyPath(key), v + " does not fit in 64 bits (at most " + Long.MAX_VALUE + ")");
      }
      return b.longValue();
    }
    double d;
    try {
      d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(scalar(key, v).trim());
    } catch (NumberFormatException e) {
      d = Double.NaN;
    }
    if (d != Math.rint(d) || Double.isInfinite(d)) {
      throw new SpecException(keyPath(key), "expected a whole number, got '" + v + "'");
    }
    if (d >= 0x1p63 || d < -0x1p63) {
      throw new SpecException(keyPath(key), v + " does not fit in 64 bits (at most " + Long.MAX_VALUE + ")");
    }
    node.put(key, (long) d);
    return (long) d;
  }

  /** @return {@code v}, the whole number at {@code key}, as an int; fails quoting the value as written when too large */
  private int toInt(String key, Object written, long v) {
    if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
      throw new SpecException(keyPath(key), (written != null ? written : v) + " is out of range (at most "
          + Integer.MAX_VALUE + ")");
    }
    return (int) v;
  }
}
