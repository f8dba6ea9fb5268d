package io.hmb.client;

import java.util.Objects;

/**
 * Thrown by a handler to refuse a payload: the asker gets PAYLOAD_INVALID with metadata "field".
 * The message is sent to the asker: name the rule, never the person (no ID numbers or names).
 */
public final class InvalidPayloadException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String field;

  /** @param field the offending payload field, e.g. "person.cert_number" */
  public InvalidPayloadException(String field, String message) {
    super(Objects.requireNonNull(message, "message"));
    this.field = Objects.requireNonNull(field, "field");
  }

  public String field() {
    return field;
  }
}
