package io.hmb.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an operator command lists: for a person, a header row over aligned columns and a closing count; with
 * {@code --json}, for a script, one JSON array of objects keyed by the column names and nothing else.
 * Values are strings, numbers, booleans, null, lists or maps (nested in JSON, joined in text), or a
 * {@link Shown} where a person should read something other than the machine does.
 */
final class Table {
  private final List<String> columns;
  private final List<List<Object>> rows = new ArrayList<>();

  /** A value shown as {@code text} in the table and written as {@code json} in JSON (e.g. "(inbox)" and null). */
  record Shown(String text, Object json) {}

  private Table(List<String> columns) {
    this.columns = columns;
  }

  /** Columns by their JSON names (snake_case); the header shows them upper-cased. */
  static Table of(String... columns) {
    return new Table(List.of(columns));
  }

  Table row(Object... values) {
    if (values.length != columns.size()) {
      throw new IllegalArgumentException(values.length + " values for " + columns.size() + " columns");
    }
    rows.add(Arrays.asList(values));
    return this;
  }

  /** The rows as JSON objects, for a command that nests the table in an object of its own. */
  List<Map<String, Object>> objects() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (List<Object> row : rows) {
      Map<String, Object> o = new LinkedHashMap<>();
      for (int i = 0; i < columns.size(); i++) {
        Object v = row.get(i);
        o.put(columns.get(i), v instanceof Shown s ? s.json() : v);
      }
      out.add(o);
    }
    return out;
  }

  /** Prints the table and then {@code "N noun"}, or with {@code json} the JSON array alone. */
  void print(PrintWriter out, boolean json, String noun) {
    if (json) {
      out.println(json(objects()));
      return;
    }
    printText(out, "");
    out.printf("%d %s%n", rows.size(), noun);
  }

  /** The header and the rows, each line starting with {@code indent}. */
  void printText(PrintWriter out, String indent) {
    List<List<String>> lines = new ArrayList<>();
    lines.add(columns.stream().map(c -> c.toUpperCase(java.util.Locale.ROOT)).toList());
    rows.forEach(r -> lines.add(r.stream().map(Table::text).toList()));
    int[] width = new int[columns.size()];
    lines.forEach(l -> {
      for (int i = 0; i < l.size(); i++) {
        width[i] = Math.max(width[i], l.get(i).length());
      }
    });
    for (List<String> l : lines) {
      StringBuilder b = new StringBuilder(indent);
      for (int i = 0; i < l.size(); i++) {
        b.append(i == l.size() - 1 ? l.get(i) : String.format("%-" + width[i] + "s  ", l.get(i)));
      }
      out.println(b.toString().stripTrailing());
    }
  }

  private static String text(Object v) {
    if (v instanceof Shown s) {
      return s.text();
    }
    if (v instanceof Collection<?> c) {
      return String.join(",", c.stream().map(Table::text).toList());
    }
    if (v instanceof Map<?, ?> m) {
      return String.join(",", m.entrySet().stream().map(e -> e.getKey() + ":" + text(e.getValue())).toList());
    }
    return v == null ? "-" : String.valueOf(v);
  }

  /** A value as JSON (RFC 8259): strings escaped, control characters as \\u escapes. */
  static String json(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Shown s) {
      return json(s.json());
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    if (v instanceof Map<?, ?> m) {
      List<String> fields = new ArrayList<>();
      m.forEach((k, x) -> fields.add(json(String.valueOf(k)) + ":" + json(x)));
      return "{" + String.join(",", fields) + "}";
    }
    if (v instanceof Collection<?> c) {
      return "[" + String.join(",", c.stream().map(Table::json).toList()) + "]";
    }
    String s = v.toString();
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> b.append(ch < 0x20 ? String.format("\\u%04x", (int) ch) : String.valueOf(ch));
      }
    }
    return b.append('"').toString();
  }
}
