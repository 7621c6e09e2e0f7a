package org.varflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON Schema of a spec ({@code varflow schema}) describes every spec varflow accepts and rejects what it rejects: the bundled
 * quickstart, the examples and a run's resolved spec.yaml validate; typos, unknown kinds and values out of
 * range do not. Checked with a small validator of the draft-07 keywords the schema uses, written here.
 */
class SchemaTest {
  private static final ObjectMapper YAML = new YAMLMapper();

  @TempDir
  Path tmp;

  @Test
  void theSpecsVarflowRunsValidateAndBrokenOnesDoNot() throws Exception {
    Varflow varflow = Varflow.load(null);
    JsonNode schema = new ObjectMapper().valueToTree(varflow.schema());
    assertThat(schema.get("$schema").asText()).isEqualTo("http://json-schema.org/draft-07/schema#");

    for (String example : List.of("density.yaml", "density-circle.yaml", "random-features.yaml")) {
      assertThat(errors(schema, YAML.readTree(ProjectRoot.resolve("examples").resolve(example).toFile()))).as(example).isEmpty();
    }
    assertThat(errors(schema, YAML.readTree(Spec.quickstart().toYaml()))).isEmpty();
    Spec small = Spec.load(null, List.of("backend=jvm", "solver.steps=2", "data.train.n=50", "data.test.n=50"));
    try (Run run = varflow.prepare(small)) {
      run.execute(tmp.resolve("run"), RunListener.NONE);
    }
    assertThat(errors(schema, YAML.readTree(tmp.resolve("run/spec.yaml").toFile()))).as("resolved spec.yaml").isEmpty();

    // a spec may leave out discretization.kind (the model's default discretization)
    for (String model : List.of("two-layer", "random-features")) {
      Spec noKind = Spec.load(null, List.of("backend=jvm", "model={kind: " + model + "}", "regularizers=[]",
          "discretization={width: 8}", "solver.steps=2", "data.train.n=50", "data.test.n=50"));
      assertThat(errors(schema, YAML.readTree(noKind.toYaml()))).as(model + " without discretization.kind").isEmpty();
      try (Run run = varflow.prepare(noKind)) {
        run.execute(tmp.resolve(model), RunListener.NONE);
      }
    }

    JsonNode good = YAML.readTree(Spec.quickstart().toYaml());
    assertThat(errors(schema, edit(good, "solver", "stpes", 3))).isNotEmpty();
    assertThat(errors(schema, edit(good, "discretization", "kind", "voronoi"))).isNotEmpty();
    assertThat(errors(schema, edit(good, "discretization", "width", 0))).isNotEmpty();
    assertThat(errors(schema, edit(good, "model", "activation", "gelu"))).isNotEmpty();
    assertThat(errors(schema, edit(good, "discretization", "init", Map.of("kind", "gaussian", "npy", "x")))).isNotEmpty();
  }

  private static JsonNode edit(JsonNode spec, String node, String key, Object value) {
    JsonNode copy = spec.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) copy.get(node)).set(key, YAML.valueToTree(value));
    return copy;
  }

  /** @return what is wrong with {@code value} against {@code schema} (the draft-07 keywords varflow emits) */
  static List<String> errors(JsonNode schema, JsonNode value) {
    List<String> out = new ArrayList<>();
    check(schema, value, "", out);
    return out;
  }

  private static void check(JsonNode s, JsonNode v, String at, List<String> out) {
    if (s.has("type")) {
      List<String> types = new ArrayList<>();
      (s.get("type").isArray() ? s.get("type") : YAML.createArrayNode().add(s.get("type"))).forEach(t -> types.add(t.asText()));
      if (types.stream().noneMatch(t -> is(t, v))) {
        out.add(at + ": not " + types);
        return;
      }
    }
    if (s.has("const") && !s.get("const").equals(v)) {
      out.add(at + ": not " + s.get("const"));
    }
    if (s.has("enum")) {
      boolean any = false;
      for (JsonNode e : s.get("enum")) {
        any |= e.equals(v);
      }
      if (!any) {
        out.add(at + ": not one of " + s.get("enum"));
      }
    }
    if (v.isNumber()) {
      double x = v.asDouble();
      if (s.has("minimum") && x < s.get("minimum").asDouble() || s.has("exclusiveMinimum") && x <= s.get("exclusiveMinimum").asDouble()
          || s.has("maximum") && x > s.get("maximum").asDouble()) {
        out.add(at + ": out of range");
      }
    }
    if (v.isObject()) {
      s.path("required").forEach(r -> {
        if (!v.has(r.asText())) {
          out.add(at + "." + r.asText() + ": required");
        }
      });
      for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode p = s.path("properties").get(e.getKey());
        if (p != null) {
          check(p, e.getValue(), at + "." + e.getKey(), out);
        } else if (s.path("additionalProperties").isBoolean() && !s.get("additionalProperties").asBoolean()) {
          out.add(at + "." + e.getKey() + ": not allowed");
        }
      }
    }
    if (v.isArray() && s.has("items")) {
      for (int i = 0; i < v.size(); i++) {
        check(s.get("items"), v.get(i), at + "[" + i + "]", out);
      }
    }
    for (String keyword : List.of("oneOf", "anyOf")) {
      if (s.has(keyword)) {
        long fits = 0;
        for (JsonNode alternative : s.get(keyword)) {
          fits += errors(alternative, v).isEmpty() ? 1 : 0;
        }
        if (keyword.equals("oneOf") ? fits != 1 : fits == 0) {
          out.add(at + ": " + fits + " of the " + keyword + " alternatives fit");
        }
      }
    }
  }

  private static boolean is(String type, JsonNode v) {
    return switch (type) {
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "string" -> v.isTextual();
      case "number" -> v.isNumber();
      case "integer" -> v.isIntegralNumber() || v.isNumber() && v.asDouble() == Math.rint(v.asDouble());
      case "boolean" -> v.isBoolean();
      default -> false;
    };
  }
}
