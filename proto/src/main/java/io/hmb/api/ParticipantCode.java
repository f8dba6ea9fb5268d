package io.hmb.api;

import java.util.regex.Pattern;

/**
 * What a participant code may be (envelope.proto {@code EnvelopeHeader.sender}, the identity in a TLS
 * certificate's SAN URI, a directory under a keys directory): 1 to 64 of {@code A-Z a-z 0-9 . _ -}. No
 * separator, no whitespace, no newline, so a code is safe in a log line and a certificate; {@link #require}
 * also refuses {@code .} and {@code ..}, so a code is safe as one path component.
 */
public final class ParticipantCode {
  public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private ParticipantCode() {}

  /** Whether the code matches {@link #PATTERN}, the contract's rule for header fields. */
  public static boolean isValid(String code) {
    return code != null && PATTERN.matcher(code).matches();
  }

  /** {@code code}, or IllegalArgumentException saying what a code may be (without echoing control characters). */
  public static String require(String code) {
    if (!isValid(code) || code.equals(".") || code.equals("..")) {
      throw new IllegalArgumentException("not a participant code: " + printable(code)
          + " (1-64 of A-Z a-z 0-9 . _ -, and not . or ..)");
    }
    return code;
  }

  private static String printable(String s) {
    if (s == null) {
      return "(none)";
    }
    String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    return "\"" + cut.replaceAll("\\p{Cntrl}", "?") + "\"";
  }
}
