package io.hmb.gateway.metrics;

import io.hmb.security.mask.Masks;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes a value a caller could have chosen fit for one structured log line: no control characters (a
 * newline would forge a line of its own), no double quote (it would end a quoted field), nothing that looks
 * like a resident ID number, a mobile number or a name in clear, and at most {@link #MAX_CHARS} characters.
 */
public final class LogSafe {
  /** Longer values are cut: a 3.5 MB header once became a 3.5 MB log line. */
  public static final int MAX_CHARS = 300;

  private static final Pattern RESIDENT_ID = Pattern.compile("(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])");
  private static final Pattern MOBILE = Pattern.compile("(?<![0-9])1[3-9][0-9]{9}(?![0-9])");
  private static final Pattern HAN = Pattern.compile("\\p{IsHan}+");

  private LogSafe() {}

  public static String value(String raw) {
    if (raw == null) {
      return "";
    }
    String cut = raw.length() > MAX_CHARS ? raw.substring(0, MAX_CHARS) : raw;
    String safe = replace(RESIDENT_ID, cut, Masks::residentId);
    safe = replace(MOBILE, safe, Masks::phone);
    safe = HAN.matcher(safe).replaceAll("*");
    safe = safe.replaceAll("\\p{Cntrl}", "?").replace('"', '\'');
    return raw.length() > MAX_CHARS ? safe + "...(" + raw.length() + " chars)" : safe;
  }

  private static String replace(Pattern pattern, String in, java.util.function.UnaryOperator<String> mask) {
    Matcher m = pattern.matcher(in);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(mask.apply(m.group())));
    }
    m.appendTail(out);
    return out.toString();
  }
}
