package org.varflow.runtime.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.varflow.api.Options;
import org.varflow.api.SpecException;
import org.varflow.runtime.Spec;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** Reads YAML specs, applies {@code --set key=value} overrides, and writes resolved specs back as YAML. */
public final class SpecLoader {
  private static final String QUICKSTART = "quickstart.yaml";
  private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)(?:\\[(\\d+)])?");
  /** YAML's spellings of NaN and ±∞, which it reads as numbers. */
  private static final Pattern NON_FINITE = Pattern.compile("[-+]?\\.(?:inf|Inf|INF|nan|NaN|NAN)");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  private SpecLoader() {}

  /**
   * @param file a YAML spec, or null for the bundled quickstart
   * @param overrides {@code key=value} pairs; keys are dotted paths ({@code solver.step},
   *     {@code regularizers[0].strength}), values are YAML ({@code 0.1}, {@code [1, 2]}, {@code {kind: x}})
   * @return the spec with overrides applied, and the directory its relative file paths resolve against (the
   *     working directory for the quickstart) when its nodes are checked
   * @throws SpecException naming the file and line of a YAML error, or the bad override
   */
  public static Spec load(Path file, List<String> overrides) {
    if (file == null) {
      return bundled(QUICKSTART, "quickstart", overrides);
    }
    if (!Files.isRegularFile(file)) {
      throw new SpecException(file.toString(), "spec file not found");
    }
    Map<String, Object> tree;
    try {
      tree = parse(Files.readAllBytes(file), file.toString());
    } catch (IOException e) {
      throw SpecException.unreadable(file, e);
    }
    return overridden(file.getFileName().toString().replaceFirst("\\.ya?ml$", ""), tree, overrides,
        file.toAbsolutePath().getParent());
  }

  /**
   * @param resource a YAML spec bundled as a resource, relative to this class
   * @param name the spec's name
   * @param overrides {@code key=value} pairs as {@link #load} takes them
   * @return the spec with overrides applied; its relative paths resolve against the working directory
   */
  static Spec bundled(String resource, String name, List<String> overrides) {
    Map<String, Object> tree;
    try (InputStream in = SpecLoader.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("bundled spec " + resource + " is missing");
      }
      tree = parse(in.readAllBytes(), name + ".yaml");
    } catch (IOException e) {
      throw new IllegalStateException("bundled spec " + resource + " is unreadable", e);
    }
    return overridden(name, tree, overrides, Path.of("").toAbsolutePath());
  }

  private static Spec overridden(String name, Map<String, Object> tree, List<String> overrides, Path baseDir) {
    for (String override : overrides) {
      apply(tree, override);
    }
    return new Spec(name, Options.of("", tree), baseDir);
  }

  /**
   * @param name the spec's name (of its run directories)
   * @param yaml the spec as YAML text, e.g. a spec that travelled as text to another machine
   * @param baseDir the directory its relative file paths resolve against
   * @return the spec
   * @throws SpecException naming {@code name} and the line of a YAML error
   */
  public static Spec parse(String name, String yaml, Path baseDir) {
    return new Spec(name, Options.of("", parse(yaml.getBytes(StandardCharsets.UTF_8), name)), baseDir.toAbsolutePath());
  }

  /** @return the tree as YAML text */
  public static String toYaml(Map<String, Object> tree) {
    try {
      return YAML.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write spec as YAML", e);
    }
  }

  static Map<String, Object> parse(byte[] yaml, String source) {
    try {
      scan(yaml, source, "");
      Map<String, Object> tree = YAML.readValue(yaml, new TypeReference<LinkedHashMap<String, Object>>() {});
      return tree == null ? new LinkedHashMap<>() : tree;
    } catch (JsonProcessingException e) {
      throw invalid(e, source);
    } catch (IOException e) {
      throw new SpecException(source, "cannot read: " + e.getMessage());
    }
  }

  /**
   * @return a YAML syntax error in one line: the line where the parser stopped, what it found there, and the
   *     construct it was in with the line that construct starts at (e.g. the flow mapping of an unclosed brace)
   */
  private static SpecException invalid(JsonProcessingException e, String source) {
    if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
      Mark context = marked.getContextMark();
      return new SpecException(source + ":" + (marked.getProblemMark().getLine() + 1), "invalid YAML: "
          + oneLine(marked.getProblem()) + (marked.getContext() == null ? "" : " (" + oneLine(marked.getContext())
          + (context == null ? "" : " that starts at line " + (context.getLine() + 1)) + ")"));
    }
    JsonLocation at = e.getLocation();
    return new SpecException(at == null ? source : source + ":" + at.getLineNr(), "invalid YAML: "
        + oneLine(e.getOriginalMessage()));
  }

  /** @return {@code text} on one line: each line break, with the blanks around it, becomes one space */
  private static String oneLine(String text) {
    return text.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  /**
   * Fails on what YAML reads but a spec must not hold: a key given twice in one mapping (YAML would keep the last),
   * naming the lines of both; a number that is not finite ({@code .nan}, {@code .inf}), naming its key; a whole spec
   * that is not a mapping; a second document.
   *
   * @param key the key whose value {@code yaml} is, or "" for a whole spec
   */
  private static void scan(byte[] yaml, String source, String key) throws IOException {
    try (JsonParser parser = YAML.getFactory().createParser(yaml)) {
      Deque<Container> open = new ArrayDeque<>();
      boolean read = false;
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        int line = parser.currentTokenLocation().getLineNr();
        if (open.isEmpty() && token != JsonToken.VALUE_NULL) {
          if (read) {
            throw new SpecException(source + ":" + line, "a second YAML document (after ---); a spec is one document");
          }
          if (key.isEmpty() && token != JsonToken.START_OBJECT) {
            throw new SpecException(source + ":" + line, "a spec is a mapping of keys to values (key: value lines),"
                + " got " + (token == JsonToken.START_ARRAY ? "a list" : "'" + parser.getText() + "'"));
          }
          read = true;
        }
        String at = open.isEmpty() ? key : open.element().keyOfValue();
        switch (token) {
          case START_OBJECT, START_ARRAY -> open.push(new Container(at, token == JsonToken.START_ARRAY));
          case END_OBJECT, END_ARRAY -> open.pop();
          case FIELD_NAME -> {
            Container mapping = open.element();
            mapping.field = parser.currentName();
            Integer first = mapping.lines.putIfAbsent(mapping.field, line);
            if (first != null) {
              throw new SpecException(source + ":" + line, "duplicate key '" + mapping.field + "' (first given at line "
                  + first + ")");
            }
          }
          default -> {
            if (token == JsonToken.VALUE_NUMBER_FLOAT && NON_FINITE.matcher(parser.getText()).matches()) {
              throw Options.notFinite(at, parser.getText());
            }
          }
        }
        boolean valueDone = token != JsonToken.FIELD_NAME && token != JsonToken.START_OBJECT
            && token != JsonToken.START_ARRAY;
        if (valueDone && !open.isEmpty() && open.element().list) {
          open.element().index++;
        }
      }
    }
  }

  /** A mapping or list the YAML parser is in: its key, and where in it the parser is. */
  private static final class Container {
    final String key;
    final boolean list;
    /** The line of each key of a mapping. */
    final Map<String, Integer> lines = new HashMap<>();
    String field;
    int index;

    Container(String key, boolean list) {
      this.key = key;
      this.list = list;
    }

    /** @return the key of the value the parser reads next: {@code key.field} or {@code key[index]} */
    String keyOfValue() {
      return list ? key + "[" + index + "]" : key.isEmpty() ? field : key + "." + field;
    }
  }

  /** Sets {@code tree[key] = value} for one {@code key=value} override, the value read as YAML. */
  static void apply(Map<String, Object> tree, String override) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      throw new SpecException("--set " + override, "expected key=value, e.g. solver.step=0.05");
    }
    String key = override.substring(0, eq).trim();
    set(tree, key, parseValue(key, override.substring(eq + 1)));
  }

  /**
   * Sets {@code tree[key] = value}, creating mappings on the way.
   *
   * @param key a dotted path with list indices, e.g. {@code regularizers[0].strength}
   * @param value a number, text, boolean, list or mapping (copied)
   */
  @SuppressWarnings("unchecked")
  public static void set(Map<String, Object> tree, String key, Object value) {
    if (value instanceof Map<?, ?> || value instanceof List<?>) {
      value = Options.mutableCopy(Map.of("v", value)).get("v");
    }
    String[] segments = key.split("\\.", -1);
    Object node = tree;
    for (int i = 0; i < segments.length; i++) {
      Matcher m = SEGMENT.matcher(segments[i]);
      if (!m.matches()) {
        throw new SpecException("--set " + key, (segments[i].isEmpty() ? "an empty name" : "bad name '" + segments[i]
            + "'") + " in the key; a key is names joined by single dots, each with list indices if any, e.g."
            + " regularizers[0].strength");
      }
      boolean last = i == segments.length - 1;
      Map<String, Object> map = (Map<String, Object>) node;
      String name = m.group(1);
      if (m.group(2) == null) {
        if (last) {
          map.put(name, value);
          return;
        }
        node = map.computeIfAbsent(name, k -> new LinkedHashMap<String, Object>());
      } else {
        Object list = map.computeIfAbsent(name, k -> new ArrayList<Object>());
        if (!(list instanceof List<?> items)) {
          throw new SpecException("--set " + key, "'" + name + "' is not a list");
        }
        // more digits than an int holds: beyond any list
        int index = m.group(2).length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(m.group(2));
        if (index > items.size()) {
          throw new SpecException("--set " + key, "'" + name + "' has no element " + m.group(2) + " (it has "
              + items.size() + "; index " + items.size() + " appends one)");
        }
        List<Object> objects = (List<Object>) items;
        if (last) {
          if (index == objects.size()) {
            objects.add(value);
          } else {
            objects.set(index, value);
          }
          return;
        }
        if (index == objects.size()) {
          objects.add(new LinkedHashMap<String, Object>());
        }
        node = objects.get(index);
      }
      if (!(node instanceof Map)) {
        throw new SpecException("--set " + key, "'" + String.join(".", List.of(segments).subList(0, i + 1))
            + "' is a value, not a mapping");
      }
    }
  }

  /**
   * @param key the key the value is for, for messages
   * @return {@code text} read as YAML (checked as {@link #scan} checks a spec), or as it is when it is not YAML: the
   *     value of {@code --set key=text}
   */
  public static Object parseValue(String key, String text) {
    try {
      byte[] yaml = text.getBytes(StandardCharsets.UTF_8);
      scan(yaml, "--set " + key, key);
      Object v = YAML.readValue(yaml, Object.class);
      return v == null ? text : v;
    } catch (IOException e) {
      return text;
    }
  }
}
