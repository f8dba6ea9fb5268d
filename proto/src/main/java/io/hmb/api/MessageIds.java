package io.hmb.api;

import java.util.regex.Pattern;

/** What a message id (and a correlation id, which names one) may be: a UUID in its canonical text form. */
public final class MessageIds {
  public static final Pattern PATTERN =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private MessageIds() {}

  public static boolean isValid(String id) {
    return id != null && PATTERN.matcher(id).matches();
  }
}
