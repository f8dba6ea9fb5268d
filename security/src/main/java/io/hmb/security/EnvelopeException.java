package io.hmb.security;

import io.hmb.api.v1.ErrorReason;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one failure type of sealing, opening and verifying. It carries a coarse {@link Reason} whose
 * name is exactly an hmb.v1 {@link ErrorReason} name, and for header-field errors the name of the
 * field. The message is a sentence an integrator can act on: which rule the envelope broke and what to
 * change, naming header fields, and for {@link Reason#REPLAYED} the message id and sender (both from the
 * header, neither personal data). It still says nothing an attacker could use: no key material, no
 * offsets, no hint of which byte or which internal step of a verification failed. No cause is attached,
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
    this(reason, metadata, message(reason, metadata));
  }

  private EnvelopeException(Reason reason, Map<String, String> metadata, String message) {
    super(message);
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

  /**
   * {@link Reason#REPLAYED} for an envelope whose message_id or nonce {@code sender} already used; the
   * message names both, so the sender can find the message it reused them from.
   */
  public static EnvelopeException replayed(String messageId, String sender) {
    return new EnvelopeException(Reason.REPLAYED, Map.of(), replayedMessage(messageId, sender));
  }

  /** The sentence of a REPLAYED refusal, the same wherever the replay is caught (gateway or recipient). */
  public static String replayedMessage(String messageId, String sender) {
    return "message " + messageId + " from " + sender + " is refused as a replay: its message_id or its nonce was "
        + "already used for another envelope within the validity window; every send, a retry too, needs a new "
        + "message_id and 16 fresh nonce bytes (a retry keeps only its idempotency key)";
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
    String field = metadata.getOrDefault(FIELD, "?");
    return switch (reason) {
      case MALFORMED_ENVELOPE -> "the envelope is malformed: header, wrapped_key or signature is empty, the "
          + "ciphertext is shorter than its IV and tag, or the header bytes are not an EnvelopeHeader";
      case MISSING_HEADER_FIELD -> "header." + field + " is required and missing";
      case INVALID_HEADER_FIELD -> "header." + field + " breaks its rule (docs/envelope.md section 2)";
      case UNKNOWN_MESSAGE_TYPE -> "header.message_type is not a message type hmb.v1 defines";
      case PAYLOAD_TOO_LARGE -> "the envelope is larger than the limit of " + metadata.getOrDefault(LIMIT_BYTES, "?")
          + " bytes";
      case UNSUPPORTED_SUITE -> "header.cipher_suite is not a suite hmb.v1 defines";
      case UNSUPPORTED_VERSION -> "header.schema_version is not 1, the only version of hmb.v1";
      case EXPIRED -> "the envelope has expired: header.expire_time has passed; seal the message again with a new "
          + "create_time and expire_time (and a new message_id and nonce)";
      case NOT_YET_VALID -> "header.create_time lies further ahead of the receiver's clock than the allowed skew; "
          + "synchronise the sender's clock (NTP)";
      case REPLAYED -> "the envelope reuses a message_id or nonce its sender already used within the validity "
          + "window; every send needs a new message_id and 16 fresh nonce bytes";
      case SIGNATURE_INVALID -> "the signature does not verify with the sender's key that header.sender_key_id names: "
          + "the header, wrapped_key or ciphertext changed after signing, or another key signed them";
      case SENDER_UNKNOWN -> "header.sender is not a registered participant";
      case SENDER_SUSPENDED -> "the sender is suspended";
      case KEY_UNKNOWN -> "the key the header names is not a registered key of that participant, or is of another "
          + "cipher suite than header.cipher_suite; sign and seal with keys the directory lists";
      case KEY_REVOKED -> "the key is revoked, or header.create_time lies outside its validity window";
      case DECRYPTION_FAILED -> "the recipient could not decrypt the envelope: it was not sealed for a key the "
          + "recipient holds (header.recipient_key_id), or the wrapped key or ciphertext is corrupt";
      case WRONG_RECIPIENT -> "header.recipient is another participant";
      case PAYLOAD_INVALID -> "the decrypted payload does not parse as the message type's payload";
      case RATE_LIMITED -> "the receiver's replay guard is full; retry later";
    };
  }
}
