package io.hmb.agent.http;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A refusal the local caller sees: an HTTP status, a stable reason (an hmb.v1 ErrorInfo reason when the
 * gateway or the recipient refused, else one of the agent's own, docs/agent.md), and a message a person can
 * act on. The message must never hold personal data: it is returned to the caller and logged.
 */
public final class ApiException extends Exception {
  private final int status;
  private final String reason;
  private final transient ObjectNode details;

  public ApiException(int status, String reason, String message) {
    this(status, reason, message, null);
  }

  /** With {@code details}: fields merged into the error object (e.g. {@code fields}, {@code retryAfterMs}). */
  public ApiException(int status, String reason, String message, ObjectNode details) {
    super(message, null, false, false);
    this.status = status;
    this.reason = reason;
    this.details = details;
  }

  public int status() {
    return status;
  }

  public String reason() {
    return reason;
  }

  /** Extra fields of the error object, or null. */
  public ObjectNode details() {
    return details;
  }

  /** 400 with the agent's reason for a request it could not read. */
  public static ApiException badRequest(String reason, String message) {
    return new ApiException(400, reason, message);
  }
}
