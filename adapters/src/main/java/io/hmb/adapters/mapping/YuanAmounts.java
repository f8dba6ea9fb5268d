package io.hmb.adapters.mapping;

import io.hmb.adapters.engine.Money;
import java.util.regex.Pattern;

/**
 * The platform's numeric(16,2) yuan amounts to integer fen, exactly. Accepts "123", "123.4", "123.45";
 * refuses a sign, more than two decimals, exponents, and anything that is not a plain decimal. Messages never
 * repeat the value: a field mix-up (an identity number where an amount belongs) must not reach a log.
 */
public final class YuanAmounts {
  private static final Pattern PLAIN = Pattern.compile("(\\d{1,14})(?:\\.(\\d{1,2}))?");
  private static final Pattern ANY_DECIMAL = Pattern.compile("-?\\d+(?:\\.\\d+)?");

  private YuanAmounts() {}

  public static long toFen(String field, String text) {
    if (text == null) throw new SettlementFieldException(SettlementFieldException.Reason.MISSING_FIELD, field, "is required");
    String t = text.trim();
    var m = PLAIN.matcher(t);
    if (!m.matches()) {
      if (ANY_DECIMAL.matcher(t).matches()) {
        if (t.startsWith("-")) {
          throw new SettlementFieldException(SettlementFieldException.Reason.NEGATIVE_AMOUNT, field, "must not be negative");
        }
        if (t.contains(".") && t.length() - t.indexOf('.') - 1 > 2) {
          throw new SettlementFieldException(SettlementFieldException.Reason.TOO_MANY_DECIMALS, field,
              "at most 2 decimals (yuan to the fen); the mapping does not round");
        }
        throw new SettlementFieldException(SettlementFieldException.Reason.AMOUNT_TOO_LARGE, field, "more than 14 digits of yuan");
      }
      throw new SettlementFieldException(SettlementFieldException.Reason.NOT_A_DECIMAL, field,
          "must be yuan with up to 2 decimals, as a plain decimal string or number");
    }
    String decimals = m.group(2) == null ? "" : m.group(2);
    long fen = Long.parseLong(m.group(1)) * 100 + (decimals.isEmpty() ? 0 : Long.parseLong((decimals + "0").substring(0, 2)));
    if (fen > Money.MAX_AMOUNT_FEN) {
      throw new SettlementFieldException(SettlementFieldException.Reason.AMOUNT_TOO_LARGE, field,
          "limit " + Money.yuan(Money.MAX_AMOUNT_FEN) + " yuan");
    }
    return fen;
  }
}
