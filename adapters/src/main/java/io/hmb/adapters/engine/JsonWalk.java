package io.hmb.adapters.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Reads a JSON tree while collecting every problem as "path: message", so a file fails once with all of
 * them (HikariConfig's validate, but exhaustive). Readers return null after recording a problem.
 */
public final class JsonWalk {
  public final List<String> problems = new ArrayList<>();

  public void problem(String path, String message) {
    problems.add(path + ": " + message);
  }

  public static String at(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public void onlyKeys(JsonNode obj, String path, Set<String> allowed) {
    if (obj == null || !obj.isObject()) return;
    for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) problem(path.isEmpty() ? k : at(path, k), "unknown key");
    }
  }

  public JsonNode object(JsonNode parent, String key, String path, boolean required) {
    JsonNode n = parent == null ? null : parent.get(key);
    if (n == null || n.isNull()) {
      if (required) problem(at(path, key), "is required");
      return null;
    }
    if (!n.isObject()) {
      problem(at(path, key), "must be an object");
      return null;
    }
    return n;
  }

  public JsonNode array(JsonNode parent, String key, String path, boolean required) {
    JsonNode n = parent == null ? null : parent.get(key);
    if (n == null || n.isNull()) {
      if (required) problem(at(path, key), "is required");
      return null;
    }
    if (!n.isArray()) {
      problem(at(path, key), "must be an array");
      return null;
    }
    return n;
  }

  public String text(JsonNode parent, String key, String path, boolean required) {
    JsonNode n = parent == null ? null : parent.get(key);
    if (n == null || n.isNull()) {
      if (required) problem(at(path, key), "is required");
      return null;
    }
    if (!n.isTextual() || n.asText().isBlank()) {
      problem(at(path, key), "must be a non-blank string");
      return null;
    }
    return n.asText();
  }

  /**
   * A cited rule: {"value": ..., "clause": "...", "reading": "..."?}. {@code nullableValue} allows an
   * explicit {"value": null} (e.g. "no cap").
   */
  public <T> Cited<T> cited(JsonNode parent, String key, String path, boolean required, boolean nullableValue,
      BiFunction<JsonNode, String, T> valueReader) {
    JsonNode n = parent == null ? null : parent.get(key);
    String p = at(path, key);
    if (n == null || n.isNull()) {
      if (required) problem(p, "is required");
      return null;
    }
    if (!n.isObject()) {
      problem(p, "must be an object {\"value\", \"clause\", \"reading\"?}");
      return null;
    }
    onlyKeys(n, p, Set.of("value", "clause", "reading"));
    int before = problems.size();
    String clause = n.has("clause") && n.get("clause").isTextual() ? n.get("clause").asText().trim() : "";
    if (clause.isEmpty()) problem(at(p, "clause"), "is required (cite the seed clause)");
    String reading = null;
    if (n.has("reading")) {
      reading = n.get("reading").isTextual() ? n.get("reading").asText().trim() : "";
      if (reading.isEmpty()) problem(at(p, "reading"), "must be a non-blank string when present");
    }
    T value = null;
    JsonNode v = n.get("value");
    if (v == null) {
      problem(at(p, "value"), "is required");
    } else if (v.isNull()) {
      if (!nullableValue) problem(at(p, "value"), "must not be null");
    } else {
      value = valueReader.apply(v, at(p, "value"));
    }
    return problems.size() == before ? new Cited<>(value, clause, reading) : null;
  }

  public Long fen(JsonNode v, String path) {
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      problem(path, "must be a whole number of fen");
      return null;
    }
    long fen = v.asLong();
    if (fen < 0) {
      problem(path, "must not be negative, was " + fen);
      return null;
    }
    if (fen > Money.MAX_AMOUNT_FEN) {
      problem(path, "must be at most " + Money.MAX_AMOUNT_FEN + " fen, was " + fen);
      return null;
    }
    return fen;
  }

  public Integer bp(JsonNode v, String path) {
    if (!v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > Money.BP) {
      problem(path, "must be basis points between 0 and 10000, was " + v);
      return null;
    }
    return v.asInt();
  }

  public Integer smallInt(JsonNode v, String path, int min, int max) {
    if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
      problem(path, "must be a whole number between " + min + " and " + max + ", was " + v);
      return null;
    }
    return v.asInt();
  }

  public Boolean bool(JsonNode v, String path) {
    if (!v.isBoolean()) {
      problem(path, "must be true or false");
      return null;
    }
    return v.asBoolean();
  }

  public String string(JsonNode v, String path) {
    if (!v.isTextual() || v.asText().isBlank()) {
      problem(path, "must be a non-blank string");
      return null;
    }
    return v.asText();
  }

  public LocalDate date(JsonNode v, String path) {
    if (!v.isTextual()) {
      problem(path, "must be a date yyyy-MM-dd");
      return null;
    }
    try {
      return LocalDate.parse(v.asText());
    } catch (DateTimeParseException e) {
      problem(path, "must be a date yyyy-MM-dd, was \"" + v.asText() + "\"");
      return null;
    }
  }

  public <E extends Enum<E>> E enumValue(JsonNode v, String path, Class<E> type) {
    if (v.isTextual()) {
      for (E e : type.getEnumConstants()) if (e.name().equals(v.asText())) return e;
    }
    problem(path, "unknown " + humanName(type) + " " + v + "; one of " + List.of(type.getEnumConstants()));
    return null;
  }

  public <T> List<T> list(JsonNode v, String path, boolean allowEmpty, BiFunction<JsonNode, String, T> item) {
    if (!v.isArray()) {
      problem(path, "must be an array");
      return null;
    }
    if (!allowEmpty && v.isEmpty()) {
      problem(path, "must not be empty");
      return null;
    }
    int before = problems.size();
    List<T> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) out.add(item.apply(v.get(i), path + "[" + i + "]"));
    return problems.size() == before ? List.copyOf(out) : null;
  }

  public static String humanName(Class<?> type) {
    return type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
  }
}
