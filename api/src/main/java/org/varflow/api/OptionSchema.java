package org.varflow.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The declared options of one spec node (a plugin's node, or a part of the spec): its options, and
 * optionally variants, of which a node holds exactly one (e.g. {@code init: {kind: gaussian, a_scale: 1}}
 * or {@code init: {npy: DIR}}).
 *
 * <p>{@link #apply} checks a node against the declaration — every key known, every value of the right type
 * and in range, paths resolved against the spec's directory — and writes the static defaults into it, so
 * that the node is complete and the spec written with a run is fully resolved. Errors are
 * {@link SpecException}s naming the full key. The same declaration is read by the runtime for the
 * spec's JSON Schema and by the command line for {@code varflow plugins --describe}.
 *
 * @param options the options every node has
 * @param variants the variants, each adding options of its own; empty when the node has none
 */
public record OptionSchema(List<OptionSpec> options, List<Variant> variants) {

  /** A node with no options. */
  public static final OptionSchema EMPTY = new OptionSchema(List.of(), List.of());

  /**
   * One variant of a node, selected by a key: by its value ({@code kind: circle}) or by its presence
   * ({@code npy: DIR}).
   *
   * @param key the selecting key
   * @param value the value of {@code key} that selects this variant, or null: selected when {@code key} is present
   * @param doc one line saying what the variant is
   * @param schema the options it adds (for a presence variant, including {@code key} itself)
   * @param isDefault whether it is taken, with {@code key: value} written into the node, when no variant is selected
   */
  public record Variant(String key, String value, String doc, OptionSchema schema, boolean isDefault) {
    /** @return e.g. {@code kind: circle} or {@code npy} */
    public String label() {
      return value == null ? key : key + ": " + value;
    }
  }

  /** Copies the lists. */
  public OptionSchema {
    options = List.copyOf(options);
    variants = List.copyOf(variants);
  }

  /** @return a builder of a node's options */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @param path the dotted path of the node, for error messages
   * @param values the node's keys and values (copied; nested maps and lists must be mutable or are copied too)
   * @return a new node holding {@code values}, checked and completed by {@link #apply} (paths left as given)
   */
  public Options node(String path, Map<String, ?> values) {
    return apply(Options.of(path, Options.mutableCopy(values)), null);
  }

  /** @return whether an empty node is valid: no required option, and no variants or a default one */
  public boolean admitsEmpty() {
    return options.stream().noneMatch(OptionSpec::required)
        && (variants.isEmpty() || variants.stream().anyMatch(Variant::isDefault));
  }

  /** @return the declared option of this name among the common ones, if any */
  public Optional<OptionSpec> option(String name) {
    return options.stream().filter(o -> o.name().equals(name)).findFirst();
  }

  /**
   * Checks {@code node} against this declaration and completes it in place: the variant selected (the
   * default one written in when none is), static defaults written for absent keys, numbers and booleans
   * given as text converted, relative paths resolved against {@code baseDir}.
   *
   * @param node the spec node
   * @param baseDir the directory relative paths are resolved against, or null to leave paths as given
   * @return {@code node}
   * @throws SpecException naming the first key that is unknown, missing, of the wrong type or out of range
   */
  public Options apply(Options node, Path baseDir) {
    List<OptionSpec> known = new ArrayList<>(options);
    Optional<Variant> selected = select(node);
    selected.ifPresent(v -> known.addAll(v.schema().options()));
    List<String> names = known.stream().map(OptionSpec::name).collect(Collectors.toCollection(ArrayList::new));
    variants.stream().map(Variant::key).filter(k -> !names.contains(k)).distinct().forEach(names::add);
    for (String key : List.copyOf(node.asMap().keySet())) {
      if (!names.contains(key)) {
        throw new SpecException(node.keyPath(key), "unknown key" + selected.map(v -> " for " + v.label()).orElse("")
            + " (known here: " + String.join(", ", names) + ")");
      }
    }
    for (OptionSpec option : known) {
      check(node, option, baseDir);
    }
    return node;
  }

  /** @return the variant the node selects (writing the default one's selector in), or empty without variants */
  private Optional<Variant> select(Options node) {
    if (variants.isEmpty()) {
      return Optional.empty();
    }
    List<Variant> present = variants.stream().filter(v -> v.value() == null && node.has(v.key())).toList();
    if (present.size() > 1) {
      throw new SpecException(node.keyPath(present.get(1).key()), "give only one of "
          + present.stream().map(Variant::key).collect(Collectors.joining(", ")));
    }
    if (present.size() == 1) {
      return Optional.of(present.get(0));
    }
    for (Variant v : variants) {
      if (v.value() != null && node.has(v.key())) {
        String given = node.getString(v.key(), null);
        Optional<Variant> match = variants.stream()
            .filter(w -> w.key().equals(v.key()) && given.equals(w.value())).findFirst();
        return Optional.of(match.orElseThrow(() -> new SpecException(node.keyPath(v.key()), "'" + given
            + "' is not one of " + variants.stream().filter(w -> w.key().equals(v.key())).map(Variant::value)
                .collect(Collectors.joining(", ")))));
      }
    }
    Variant fallback = variants.stream().filter(Variant::isDefault).findFirst().orElseThrow(() -> new SpecException(
        node.path(), "needs one of " + variants.stream().map(Variant::label).collect(Collectors.joining(", "))));
    if (fallback.value() != null) {
      node.asMap().put(fallback.key(), fallback.value());
    }
    return Optional.of(fallback);
  }

  /** Checks (and completes) one option of {@code node}. */
  private static void check(Options node, OptionSpec o, Path baseDir) {
    String key = o.name();
    if (!node.has(key)) {
      if (o.required()) {
        throw new SpecException(node.keyPath(key), "is required (" + o.doc() + ")");
      }
      if (o.type() == OptionSpec.Type.NODE && o.node() != null && o.node().admitsEmpty()) {
        // an absent node is written in with its defaults, unless it would need keys of its own
        if (o.node().apply(node.subOrEmpty(key), baseDir).asMap().isEmpty()) {
          node.asMap().remove(key);
        }
      } else if (o.defaultValue() != null) {
        node.asMap().put(key, o.defaultValue() instanceof double[] d ? Stream.of(box(d)).toList() : o.defaultValue());
      }
      return;
    }
    switch (o.type()) {
      case NUMBER -> inRange(node, o, node.requireDouble(key));
      case INTEGER -> inRange(node, o, node.getLong(key, 0));
      case BOOLEAN -> node.getBoolean(key, false);
      case STRING -> node.requireString(key);
      case CHOICE -> node.getChoice(key, null, o.choices());
      case PATH -> {
        String text = node.requireString(key);
        node.asMap().put(key, baseDir == null ? text : baseDir.resolve(text).toAbsolutePath().normalize().toString());
      }
      case NUMBERS -> {
        for (double x : node.getDoubles(key, new double[0])) {
          inRange(node, o, x);
        }
      }
      case NODE -> {
        Options child = node.sub(key).orElseThrow();
        if (o.node() != null) {
          o.node().apply(child, baseDir);
        }
      }
      case NODES -> node.list(key).forEach(element -> {
        if (o.node() != null) {
          o.node().apply(element, baseDir);
        }
      });
    }
  }

  private static Double[] box(double[] d) {
    Double[] out = new Double[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = d[i];
    }
    return out;
  }

  private static void inRange(Options node, OptionSpec o, double x) {
    boolean low = o.min() != null && (o.exclusiveMin() ? !(x > o.min()) : !(x >= o.min()));
    boolean high = o.max() != null && !(x <= o.max());
    if (low || high || Double.isNaN(x) || Double.isInfinite(x)) {
      throw new SpecException(node.keyPath(o.name()), "must be " + (o.rangeText().isEmpty() ? "a finite number" : o.rangeText())
          + ", got " + (x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x)));
    }
  }

  /** Declares the options of a node, one after the other; range and default modifiers apply to the last one. */
  public static final class Builder {
    private final List<OptionSpec> options = new ArrayList<>();
    private final List<Variant> variants = new ArrayList<>();

    private Builder() {}

    private void requireNew(String name) {
      if (options.stream().anyMatch(o -> o.name().equals(name))) {
        throw new IllegalArgumentException("option '" + name + "' is declared twice");
      }
    }

    private Builder add(String name, OptionSpec.Type type, Object def, String doc, List<String> choices, OptionSchema node) {
      requireNew(name);
      options.add(new OptionSpec(name, type, doc, def, def == null ? null : text(def), null, null, false, choices, false, node));
      return this;
    }

    private static String text(Object def) {
      if (def instanceof double[] d) {
        return Stream.of(box(d)).map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
      }
      return String.valueOf(def);
    }

    private Builder last(java.util.function.UnaryOperator<OptionSpec> change) {
      OptionSpec o = options.get(options.size() - 1);
      options.set(options.size() - 1, change.apply(o));
      return this;
    }

    /** A real number with a static default (or null: optional, or a default computed by the plugin). */
    public Builder number(String name, Double def, String doc) {
      return add(name, OptionSpec.Type.NUMBER, def, doc, List.of(), null);
    }

    /** A whole number with a static default (or null). */
    public Builder integer(String name, Long def, String doc) {
      return add(name, OptionSpec.Type.INTEGER, def, doc, List.of(), null);
    }

    /** true or false, with a default. */
    public Builder bool(String name, boolean def, String doc) {
      return add(name, OptionSpec.Type.BOOLEAN, def, doc, List.of(), null);
    }

    /** A single value read as text, with a static default (or null). */
    public Builder string(String name, String def, String doc) {
      return add(name, OptionSpec.Type.STRING, def, doc, List.of(), null);
    }

    /** One of {@code choices}, with a default among them (or null). */
    public Builder choice(String name, String def, String doc, List<String> choices) {
      return add(name, OptionSpec.Type.CHOICE, def, doc, choices, null);
    }

    /** A file or directory, resolved against the spec's directory; no default. */
    public Builder path(String name, String doc) {
      return add(name, OptionSpec.Type.PATH, null, doc, List.of(), null);
    }

    /** A list of numbers, with a static default (or null). */
    public Builder numbers(String name, double[] def, String doc) {
      return add(name, OptionSpec.Type.NUMBERS, def == null ? null : def.clone(), doc, List.of(), null);
    }

    /**
     * A mapping with options of its own (when it is absent, the node its defaults make is written in, if
     * any); a null {@code node} declares a mapping checked elsewhere (e.g. by the plugin its kind names).
     */
    public Builder node(String name, String doc, OptionSchema node) {
      return add(name, OptionSpec.Type.NODE, null, doc, List.of(), node);
    }

    /** A list of mappings, each with the options of {@code element} (null: checked elsewhere). */
    public Builder nodes(String name, String doc, OptionSchema element) {
      return add(name, OptionSpec.Type.NODES, null, doc, List.of(), element);
    }

    /** The last option must be ≥ min. */
    public Builder atLeast(double min) {
      return last(o -> new OptionSpec(o.name(), o.type(), o.doc(), o.defaultValue(), o.defaultText(), min, o.max(), false,
          o.choices(), o.required(), o.node()));
    }

    /** The last option must be &gt; 0. */
    public Builder positive() {
      return last(o -> new OptionSpec(o.name(), o.type(), o.doc(), o.defaultValue(), o.defaultText(), 0.0, o.max(), true,
          o.choices(), o.required(), o.node()));
    }

    /** The last option must be ≤ max. */
    public Builder atMost(double max) {
      return last(o -> new OptionSpec(o.name(), o.type(), o.doc(), o.defaultValue(), o.defaultText(), o.min(), max,
          o.exclusiveMin(), o.choices(), o.required(), o.node()));
    }

    /** The last option has no static default; {@code text} says how the plugin computes it. */
    public Builder computedDefault(String text) {
      return last(o -> new OptionSpec(o.name(), o.type(), o.doc(), null, text, o.min(), o.max(), o.exclusiveMin(),
          o.choices(), o.required(), o.node()));
    }

    /** The last option must be given. */
    public Builder required() {
      return last(o -> new OptionSpec(o.name(), o.type(), o.doc(), null, null, o.min(), o.max(), o.exclusiveMin(),
          o.choices(), true, o.node()));
    }

    /**
     * A variant selected by {@code key: value} (or, with a null value, by the presence of {@code key}, which
     * {@code schema} then declares). The first variant added with {@code isDefault} is taken when none is selected.
     */
    public Builder variant(String key, String value, String doc, OptionSchema schema, boolean isDefault) {
      variants.add(new Variant(key, value, doc, schema, isDefault));
      return this;
    }

    /** Adds the options and variants of {@code other} (e.g. a plugin's, after the {@code kind} key that names it). */
    public Builder include(OptionSchema other) {
      for (OptionSpec o : other.options()) {
        requireNew(o.name());
        options.add(o);
      }
      variants.addAll(other.variants());
      return this;
    }

    /** Adds a variant declared elsewhere (e.g. {@code NeuronFiles.INIT}). */
    public Builder variant(Variant variant) {
      variants.add(variant);
      return this;
    }

    /** @return the declaration */
    public OptionSchema build() {
      return new OptionSchema(options, variants);
    }
  }
}
