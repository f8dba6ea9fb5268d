package io.hmb.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.hmb.api.ErrorCatalog;
import io.hmb.api.Errors;
import io.hmb.api.v1.ErrorReason;
import io.hmb.security.EnvelopeException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The one failure type of the SDK: a call to the gateway failed, or an envelope could not be sealed or
 * an answer could not be verified. Unchecked, like grpc-java's {@link StatusRuntimeException}.
 *
 * <p>{@link #reason()} is the hmb.v1 {@link ErrorReason} from the gateway's (or recipient's)
 * {@code google.rpc.ErrorInfo}, or from the local {@link EnvelopeException}; it is empty for failures
 * that carry no hmb.v1 reason (a broken connection, a deadline that passed on this side). The message
 * names the reason and says what to do next ({@link ErrorCatalog.Entry#nextStep()}).
 *
 * <p><b>Guarantees.</b> {@link #origin()} tells where it failed. With {@link Origin#ANSWER} the
 * request <em>reached</em> the recipient and may have been acted on (a deduction may be posted): retry
 * with the same idempotency key to learn the outcome; never treat it as "not done". The message never
 * contains payload data: it holds only the reason, the gateway's status description (which by
 * contract names no person) and the next step.
 *
 * <p><b>Does not guarantee.</b> That {@link #retryable()} failures succeed on retry; the SDK already
 * retried them per its {@link RetryPolicy} before throwing.
 */
public class GatewayException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Where the failure happened. */
  public enum Origin {
    /** The gateway or, through it, the recipient refused the call; or the transport failed. */
    REMOTE,
    /** Before sending: the envelope could not be sealed (e.g. the signing key is outside its validity). */
    SEALING,
    /** After sending: the recipient's answer failed opening or verification. The request was delivered. */
    ANSWER
  }

  private final transient Status status;
  private final ErrorReason reason;
  private final Duration retryDelay;
  private final Map<String, String> metadata;
  private final Origin origin;

  GatewayException(String message, Status status, ErrorReason reason, Duration retryDelay,
      Map<String, String> metadata, Origin origin, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.reason = reason;
    this.retryDelay = retryDelay;
    this.metadata = Map.copyOf(metadata);
    this.origin = origin;
  }

  /** Copies another exception's facts (for subclasses that add detail). */
  GatewayException(GatewayException other) {
    this(other.getMessage(), other.status, other.reason, other.retryDelay, other.metadata, other.origin,
        other.getCause());
  }

  /** Maps a failed gRPC call: reason, RetryInfo delay and metadata from the status details. */
  public static GatewayException fromCall(Throwable failure) {
    Status status = Status.fromThrowable(failure);
    Optional<ErrorReason> reason = Errors.reason(failure).filter(r -> r != ErrorReason.UNRECOGNIZED);
    Map<String, String> metadata = Errors.errorInfo(failure).map(i -> i.getMetadataMap()).orElse(Map.of());
    Duration delay = Errors.retryDelay(failure).orElse(null);
    String description = status.getDescription() == null ? "" : status.getDescription();
    String message = reason.map(r -> r.name() + ": " + description + ". Next: " + ErrorCatalog.entry(r).nextStep())
        .orElseGet(() -> status.getCode() + (description.isEmpty() ? "" : ": " + description) + hint(status.getCode()));
    return new GatewayException(message, status, reason.orElse(null), delay, metadata, Origin.REMOTE, failure);
  }

  /** Maps a local sealing or opening failure; the status code is the catalogue's for the reason. */
  public static GatewayException fromEnvelope(EnvelopeException e, Origin origin) {
    ErrorReason reason = e.errorReason();
    ErrorCatalog.Entry entry = ErrorCatalog.entry(reason);
    String next = origin == Origin.ANSWER
        ? "the request was delivered and may have been acted on; retry with the same idempotency key, "
            + "or ask the recipient, before treating it as not done."
        : entry.nextStep();
    String message = reason.name() + ": " + (origin == Origin.ANSWER ? "the recipient's answer failed verification"
        : "the envelope could not be sealed") + fieldNote(e.metadata()) + ". Next: " + next;
    return new GatewayException(message, Status.fromCode(entry.code()).withDescription(message), reason, null,
        e.metadata(), origin, null);
  }

  /** An answer that opened but is not the answer to this request (sender, correlation or type). */
  static GatewayException answerMismatch(String field) {
    return fromEnvelope(EnvelopeException.field(EnvelopeException.Reason.INVALID_HEADER_FIELD, field), Origin.ANSWER);
  }

  /** A remote failure (e.g. the directory) met while verifying an answer: the request was delivered. */
  static GatewayException whileVerifyingAnswer(GatewayException e) {
    return new GatewayException("the answer could not be verified: " + e.getMessage()
        + " The request was delivered and may have been acted on; retry with the same idempotency key.",
        e.status, e.reason, e.retryDelay, e.metadata, Origin.ANSWER, e);
  }

  private static String hint(Status.Code code) {
    return switch (code) {
      case UNAVAILABLE -> ". Next: the gateway is unreachable; retry later with the same idempotency key.";
      case DEADLINE_EXCEEDED -> ". Next: the outcome is unknown; retry with the same idempotency key to learn it.";
      default -> "";
    };
  }

  private static String fieldNote(Map<String, String> metadata) {
    String field = metadata.get(EnvelopeException.FIELD);
    return field == null ? "" : " (header field " + field + ")";
  }

  /** The hmb.v1 reason, or empty when the failure carries none (transport, local deadline). */
  public Optional<ErrorReason> reason() {
    return Optional.ofNullable(reason);
  }

  /**
   * True when trying again later may succeed: the catalogue marks the reason retryable, or the
   * transport was UNAVAILABLE without a reason. Retry with the same idempotency key and a new envelope.
   */
  public boolean retryable() {
    if (reason != null) {
      return ErrorCatalog.entries().containsKey(reason) && ErrorCatalog.entry(reason).retryable();
    }
    return origin == Origin.REMOTE && status.getCode() == Status.Code.UNAVAILABLE;
  }

  /** The RetryInfo delay the gateway asked for, if any. */
  public Optional<Duration> retryDelay() {
    return Optional.ofNullable(retryDelay);
  }

  /** ErrorInfo metadata, e.g. "field" naming the offending field, "limit_bytes". */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** The gRPC status of the failed call (for local failures, the catalogue's code for the reason). */
  public Status status() {
    return status;
  }

  public Origin origin() {
    return origin;
  }
}
