package io.hmb.security;

import io.hmb.api.v1.ErrorReason;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one failure type of sealing, opening and verifying. It carries a coarse {@link Reason} whose
 * name is exactly an hmb.v1 {@link ErrorReason} name, and for header-field errors the name of the
 * field. The message is deliberately dull: it names the reason (and field) and nothing else, no key
 * material, no offsets, no hint of which byte or which internal check failed. No cause is attached,
 * so lower-level messages cannot leak either.
 */
public final class EnvelopeException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  /** Coarse failure reasons; each name is an {@link ErrorReason} name (checked by a test). */
  public enum Reason {
    MALFORMED_ENVELOPE,
    MISSING_HEADER_FIELD,
    INVALID_HEADER_FIELD,
    UNKNOWN_MESSAGE_TYPE,
    PAYLOAD_TOO_LARGE,
    UNSUPPORTED_SUITE,
    UNSUPPORTED_VERSION,
    EXPIRED,
    NOT_YET_VALID,
    REPLAYED,
    SIGNATURE_INVALID,
    SENDER_UNKNOWN,
    SENDER_SUSPENDED,
    KEY_UNKNOWN,
    KEY_REVOKED,
    DECRYPTION_FAILED,
    WRONG_RECIPIENT,
    PAYLOAD_INVALID,
    /** A bounded resource (e.g. the in-memory replay guard) is full; retry later. */
    RATE_LIMITED;

    /** The hmb.v1 error reason with the same name. */
    public ErrorReason errorReason() {
      return ErrorReason.valueOf(name());
    }
  }

  /** The ErrorInfo metadata key naming the offending header field. */
  public static final String FIELD = "field";
  /** The ErrorInfo metadata key carrying the size limit for {@link Reason#PAYLOAD_TOO_LARGE}. */
  public static final String LIMIT_BYTES = "limit_bytes";

  private final Reason reason;
  private final Map<String, String> metadata;

  private EnvelopeException(Reason reason, Map<String, String> metadata) {
    super(message(reason, metadata));
    this.reason = reason;
    this.metadata = Map.copyOf(metadata);
  }

  /** A failure without metadata. */
  public static EnvelopeException of(Reason reason) {
    return new EnvelopeException(Objects.requireNonNull(reason), Map.of());
  }

  /** A failure about one header field (for MISSING_HEADER_FIELD / INVALID_HEADER_FIELD). */
  public static EnvelopeException field(Reason reason, String field) {
    return new EnvelopeException(Objects.requireNonNull(reason), Map.of(FIELD, field));
  }

  static EnvelopeException missing(String field) {
    return field(Reason.MISSING_HEADER_FIELD, field);
  }

  static EnvelopeException invalid(String field) {
    return field(Reason.INVALID_HEADER_FIELD, field);
  }

  static EnvelopeException tooLarge(long limitBytes) {
    return new EnvelopeException(Reason.PAYLOAD_TOO_LARGE, Map.of(LIMIT_BYTES, Long.toString(limitBytes)));
  }

  public Reason reason() {
    return reason;
  }

  /** The hmb.v1 reason to put into {@code google.rpc.ErrorInfo.reason}. */
  public ErrorReason errorReason() {
    return reason.errorReason();
  }

  /** The offending header field, for MISSING_HEADER_FIELD and INVALID_HEADER_FIELD. */
  public Optional<String> field() {
    return Optional.ofNullable(metadata.get(FIELD));
  }

  /** Metadata for {@code google.rpc.ErrorInfo.metadata} ("field", "limit_bytes"); may be empty. */
  public Map<String, String> metadata() {
    return metadata;
  }

  private static String message(Reason reason, Map<String, String> metadata) {
    StringBuilder sb = new StringBuilder("envelope rejected: ").append(reason.name());
    if (!metadata.isEmpty()) {
      sb.append(' ').append(new LinkedHashMap<>(metadata));
    }
    return sb.toString();
  }
}
