package org.varflow.app.plugins;

import java.util.ArrayList;
import java.util.List;
import org.varflow.api.OptionSchema;
import org.varflow.api.OptionSpec;

/** The rows {@code varflow plugins --describe} prints for a plugin's declared options. */
final class OptionRows {
  private OptionRows() {}

  /**
   * @param schema the declared options of a node
   * @param prefix dotted prefix of the rows' names ("" at the top)
   * @return one row per option, nested ones with dotted names, each variant's options after the row of its
   *     selector: name, type, default, allowed values, doc
   */
  static List<List<String>> of(OptionSchema schema, String prefix) {
    List<List<String>> rows = new ArrayList<>();
    for (OptionSpec o : schema.options()) {
      rows.add(row(prefix, o));
      if (o.node() != null) {
        rows.addAll(of(o.node(), prefix + o.name() + (o.type() == OptionSpec.Type.NODES ? "[i]." : ".")));
      }
    }
    for (OptionSchema.Variant v : schema.variants()) {
      rows.add(List.of(prefix + v.label(), "variant", v.isDefault() ? "default" : "", "", v.doc()));
      rows.addAll(of(v.schema(), prefix));
    }
    return rows;
  }

  private static List<String> row(String prefix, OptionSpec o) {
    String allowed = o.type() == OptionSpec.Type.CHOICE ? String.join(" | ", o.choices()) : o.rangeText();
    String def = o.required() ? "required" : o.defaultText() == null ? "" : o.defaultText();
    return List.of(prefix + o.name(), o.type().name().toLowerCase(), def, allowed, o.doc());
  }
}
