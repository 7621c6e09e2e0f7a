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

/** Reads YAML specs, applies {@code --set key=value} overrides, and writes resolved specs back as YAML. */
public final class SpecLoader {
  private static final String QUICKSTART = "quickstart.yaml";
  private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)(?:\\[(\\d+)])?");
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
    Map<String, Object> tree;
    String name;
    Path baseDir;
    if (file == null) {
      try (InputStream in = SpecLoader.class.getResourceAsStream(QUICKSTART)) {
        tree = parse(in.readAllBytes(), QUICKSTART);
      } catch (IOException e) {
        throw new IllegalStateException("bundled quickstart spec is missing", e);
      }
      name = "quickstart";
      baseDir = Path.of("").toAbsolutePath();
    } else {
      if (!Files.isRegularFile(file)) {
        throw new SpecException(file.toString(), "spec file not found");
      }
      try {
        tree = parse(Files.readAllBytes(file), file.toString());
      } catch (IOException e) {
        throw SpecException.unreadable(file, e);
      }
      name = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
      baseDir = file.toAbsolutePath().getParent();
    }
    for (String override : overrides) {
      apply(tree, override);
    }
    return new Spec(name, Options.of("", tree), baseDir);
  }

  /** @return the tree as YAML text */
  public static String toYaml(Map<String, Object> tree) {
    try {
      return YAML.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write spec as YAML", e);
    }
  }

  private static Map<String, Object> parse(byte[] yaml, String source) {
    try {
      rejectDuplicateKeys(yaml, source);
      Map<String, Object> tree = YAML.readValue(yaml, new TypeReference<LinkedHashMap<String, Object>>() {});
      return tree == null ? new LinkedHashMap<>() : tree;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? source : source + ":" + at.getLineNr();
      throw new SpecException(where, "invalid YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new SpecException(source, "cannot read: " + e.getMessage());
    }
  }

  /** Fails on a key given twice in one mapping (YAML would keep the last), naming the lines of both. */
  private static void rejectDuplicateKeys(byte[] yaml, String source) throws IOException {
    try (JsonParser parser = YAML.getFactory().createParser(yaml)) {
      Deque<Map<String, Integer>> mappings = new ArrayDeque<>();
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.START_OBJECT) {
          mappings.push(new HashMap<>());
        } else if (token == JsonToken.END_OBJECT) {
          mappings.pop();
        } else if (token == JsonToken.FIELD_NAME) {
          int line = parser.currentTokenLocation().getLineNr();
          Integer first = mappings.element().putIfAbsent(parser.currentName(), line);
          if (first != null) {
            throw new SpecException(source + ":" + line, "duplicate key '" + parser.currentName() + "' (first given at line "
                + first + ")");
          }
        }
      }
    }
  }

  /** Sets {@code tree[key] = value} for one {@code key=value} override, the value read as YAML. */
  static void apply(Map<String, Object> tree, String override) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      throw new SpecException("--set " + override, "expected key=value, e.g. solver.step=0.05");
    }
    set(tree, override.substring(0, eq).trim(), parseValue(override.substring(eq + 1)));
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
    String[] segments = key.split("\\.");
    Object node = tree;
    for (int i = 0; i < segments.length; i++) {
      Matcher m = SEGMENT.matcher(segments[i]);
      if (!m.matches()) {
        throw new SpecException("--set " + key, "bad key segment '" + segments[i] + "'");
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

  private static Object parseValue(String text) {
    try {
      Object v = YAML.readValue(text, Object.class);
      return v == null ? text : v;
    } catch (IOException e) {
      return text;
    }
  }
}
