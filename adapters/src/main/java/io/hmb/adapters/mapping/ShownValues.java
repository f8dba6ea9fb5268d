package io.hmb.adapters.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.hmb.security.mask.Masks;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * How a setlinfo value may appear in a problem report: personal data through {@link Masks}, never in clear.
 * The report is printed, logged and handed back to local systems, so the rule is conservative.
 */
final class ShownValues {
  /** The setlinfo fields that hold personal data, and how each is masked. */
  static final Map<String, UnaryOperator<String>> PERSONAL = Map.of(
      "certno", Masks::residentId,
      "psn_name", Masks::name,
      // decision: the bureau's person number identifies a person as well as the certificate does; like an
      // account number it keeps only its last four characters, enough to find the line in the bureau's export.
      "psn_no", Masks::bankAccount);
  /** A run of digits as long as a mobile number, or Han characters (a name): could be a person's, so masked. */
  private static final Pattern COULD_BE_PERSONAL = Pattern.compile("\\d{11,}|\\p{IsHan}");
  private static final int MAX_SHOWN = 40;

  private ShownValues() {}

  /** A known field's value. */
  static String known(String field, JsonNode value) {
    if (value == null || value.isNull()) return "";
    if (!value.isTextual() && !value.isNumber()) return shape(value);
    String text = value.isNumber() ? value.decimalValue().toPlainString() : value.asText();
    UnaryOperator<String> mask = PERSONAL.get(field);
    if (mask != null) return mask.apply(text);
    if (COULD_BE_PERSONAL.matcher(text).find()) return shape(value);
    String oneLine = text.replaceAll("\\p{Cntrl}", " ");
    return oneLine.length() > MAX_SHOWN ? oneLine.substring(0, MAX_SHOWN) + "…" : oneLine;
  }

  /**
   * A field's name as it may be printed: names come from the posted document, so one that could be a person's
   * (or holds control characters that would break a one-line report) is shown by its length only.
   */
  static String fieldName(String name) {
    if (COULD_BE_PERSONAL.matcher(name).find() || name.chars().anyMatch(Character::isISOControl) || name.length() > MAX_SHOWN) {
      return "(a field name of " + name.codePointCount(0, name.length()) + " characters)";
    }
    return name;
  }

  /** An unknown field's value: only its JSON type and size, as nothing says what it holds. */
  static String shape(JsonNode value) {
    if (value == null || value.isNull()) return "";
    if (value.isTextual()) return "(a string of " + value.asText().codePointCount(0, value.asText().length()) + " characters)";
    if (value.isNumber()) return "(a number)";
    if (value.isBoolean()) return "(a boolean)";
    if (value.isArray()) return "(an array of " + value.size() + ")";
    return "(an object of " + value.size() + " fields)";
  }
}
