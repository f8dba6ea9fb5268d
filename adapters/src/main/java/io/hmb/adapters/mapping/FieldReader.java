package io.hmb.adapters.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.hmb.adapters.mapping.SettlementFieldException.Reason;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one JSON object's fields and collects, instead of throwing, what is wrong with each, so a mapping can
 * say field by field what it could not map. A field with a problem reads as null.
 */
final class FieldReader {
  private final JsonNode node;
  private final String prefix;
  private final List<FieldProblem> problems;

  FieldReader(JsonNode node, String prefix, List<FieldProblem> problems) {
    this.node = node;
    this.prefix = prefix;
    this.problems = problems;
  }

  /** A code, id or date: a JSON string, trimmed; null when absent (a problem if required) or not a string. */
  String text(String field, boolean required) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
      if (required) problem(Reason.MISSING_FIELD, field, "is required", v);
      return null;
    }
    if (!v.isTextual()) {
      problem(Reason.WRONG_TYPE, field, "must be a JSON string", v);
      return null;
    }
    return v.asText().trim();
  }

  /**
   * Yuan, as a JSON string or number read from its literal text (never as a double), in fen; 0 when an
   * optional amount is absent, null when it has a problem.
   */
  Long amount(String field, boolean required) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (!required) return 0L;
      problem(Reason.MISSING_FIELD, field, "is required", v);
      return null;
    }
    if (!v.isNumber() && !v.isTextual()) {
      problem(Reason.NOT_A_DECIMAL, field, "must be yuan as a decimal string or number", v);
      return null;
    }
    try {
      return YuanAmounts.toFen(field, v.isNumber() ? v.decimalValue().toPlainString() : v.asText());
    } catch (SettlementFieldException e) {
      problem(e.reason(), field, e.detail(), v);
      return null;
    }
  }

  /** A problem of one of this object's fields; its value is shown as {@link ShownValues} allows. */
  void problem(Reason reason, String field, String detail, JsonNode value) {
    problems.add(new FieldProblem(prefix + field, reason, detail, ShownValues.known(field, value), true));
  }

  /** A problem with a value that came beside the document (a context parameter), shown in clear. */
  void contextProblem(Reason reason, String name, String detail, String value) {
    problems.add(new FieldProblem(name, reason, detail, value == null ? "" : value, true));
  }

  JsonNode node() {
    return node;
  }
}
