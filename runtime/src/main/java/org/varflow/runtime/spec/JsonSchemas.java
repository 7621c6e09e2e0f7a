package org.varflow.runtime.spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.varflow.api.OptionSchema;
import org.varflow.api.OptionSpec;

/** The JSON Schema (draft-07) of a node's declared options, for the spec's schema ({@code varflow schema}). */
final class JsonSchemas {
  private JsonSchemas() {}

  /**
   * @param schema the declared options of a node
   * @param description the node's description, or null
   * @return the JSON Schema (draft-07) of a node: an object whose properties are the options, closed to
   *     other keys; with variants, one such object per variant ({@code oneOf})
   */
  static Map<String, Object> of(OptionSchema schema, String description) {
    Map<String, Object> s = new LinkedHashMap<>();
    if (description != null) {
      s.put("description", description);
    }
    if (schema.variants().isEmpty()) {
      s.putAll(object(schema.options(), List.of()));
      return s;
    }
    List<Object> alternatives = new ArrayList<>();
    for (OptionSchema.Variant v : schema.variants()) {
      List<OptionSpec> all = new ArrayList<>(schema.options());
      all.addAll(v.schema().options());
      Map<String, Object> alternative = object(all, v.value() == null || v.isDefault() ? List.of() : List.of(v.key()));
      alternative.put("description", v.doc());
      if (v.value() != null) {
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) alternative.get("properties");
        properties.put(v.key(), Map.of("const", v.value()));
      } else {
        @SuppressWarnings("unchecked")
        List<String> required = new ArrayList<>((List<String>) alternative.getOrDefault("required", List.of()));
        if (!required.contains(v.key())) {
          required.add(v.key());
        }
        alternative.put("required", required);
      }
      alternatives.add(alternative);
    }
    s.put("type", "object");
    s.put("oneOf", alternatives);
    return s;
  }

  private static Map<String, Object> object(List<OptionSpec> options, List<String> alsoRequired) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("type", "object");
    Map<String, Object> properties = new LinkedHashMap<>();
    List<String> required = new ArrayList<>(alsoRequired);
    for (OptionSpec o : options) {
      properties.put(o.name(), property(o));
      if (o.required()) {
        required.add(o.name());
      }
    }
    s.put("properties", properties);
    if (!required.isEmpty()) {
      s.put("required", required);
    }
    s.put("additionalProperties", false);
    return s;
  }

  private static Map<String, Object> property(OptionSpec o) {
    Map<String, Object> p = new LinkedHashMap<>();
    switch (o.type()) {
      case NUMBER -> p.put("type", "number");
      case INTEGER -> p.put("type", "integer");
      case BOOLEAN -> p.put("type", "boolean");
      case STRING -> p.put("type", List.of("string", "number", "boolean"));
      case CHOICE -> p.put("enum", o.choices());
      case PATH -> p.put("type", "string");
      case NUMBERS -> p.put("type", "array");
      case NODE -> p.putAll(o.node() == null ? Map.of("type", "object") : of(o.node(), null));
      case NODES -> {
        p.put("type", "array");
        p.put("items", o.node() == null ? Map.of("type", "object") : of(o.node(), null));
      }
    }
    if (o.type() == OptionSpec.Type.NUMBERS) {
      p.put("items", bounds(new LinkedHashMap<>(Map.of("type", "number")), o));
    } else {
      bounds(p, o);
    }
    if (o.defaultValue() != null) {
      p.put("default", o.defaultValue() instanceof double[] d ? Arrays.stream(d).boxed().toList() : o.defaultValue());
    }
    p.put("description", o.doc() + (o.defaultValue() == null && o.defaultText() != null ? " (default: " + o.defaultText() + ")" : ""));
    return p;
  }

  private static Map<String, Object> bounds(Map<String, Object> p, OptionSpec o) {
    if (o.min() != null) {
      p.put(o.exclusiveMin() ? "exclusiveMinimum" : "minimum", o.min());
    }
    if (o.max() != null) {
      p.put("maximum", o.max());
    }
    return p;
  }
}
