package io.hmb.api;

import io.grpc.Status;
import io.hmb.api.v1.ErrorReason;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The one catalogue of error reasons: for each {@link ErrorReason}, the gRPC status code it travels
 * with and what the caller should do next. docs/errors.md is generated from this table and a test
 * keeps the two in step.
 */
public final class ErrorCatalog {

  /** One row of the catalogue. */
  public record Entry(ErrorReason reason, Status.Code code, boolean retryable, String nextStep) {}

  private static final Map<ErrorReason, Entry> ENTRIES = build();

  private ErrorCatalog() {}

  /** The catalogue row of a reason; every reason but UNSPECIFIED and UNRECOGNIZED has one. */
  public static Entry entry(ErrorReason reason) {
    Entry entry = ENTRIES.get(reason);
    if (entry == null) {
      throw new IllegalArgumentException("no catalogue entry for " + reason);
    }
    return entry;
  }

  /** All rows, in the order of the reason numbers. */
  public static Map<ErrorReason, Entry> entries() {
    return Collections.unmodifiableMap(ENTRIES);
  }

  private static Map<ErrorReason, Entry> build() {
    Map<ErrorReason, Entry> m = new EnumMap<>(ErrorReason.class);
    Status.Code invalid = Status.Code.INVALID_ARGUMENT;
    put(m, ErrorReason.MALFORMED_ENVELOPE, invalid, false,
        "Send a SealedEnvelope whose header bytes are a serialized hmb.v1.EnvelopeHeader.");
    put(m, ErrorReason.MISSING_HEADER_FIELD, invalid, false,
        "Fill the header field named in metadata \"field\" and seal again.");
    put(m, ErrorReason.INVALID_HEADER_FIELD, invalid, false,
        "Correct the header field named in metadata \"field\" (see envelope.proto) and seal again.");
    put(m, ErrorReason.UNKNOWN_MESSAGE_TYPE, invalid, false,
        "Use a message type defined in hmb.v1 MessageType; upgrade the client if it is newer.");
    put(m, ErrorReason.MESSAGE_TYPE_MISMATCH, invalid, false,
        "Send the message on the RPC documented for its type (see the service definitions).");
    put(m, ErrorReason.PAYLOAD_TOO_LARGE, invalid, false,
        "Split the data (e.g. use the streaming upload RPC) so each envelope is under metadata \"limit_bytes\".");
    put(m, ErrorReason.UNSUPPORTED_SUITE, invalid, false,
        "Seal with CIPHER_SUITE_SM2_SM4_GCM_SM3 or CIPHER_SUITE_P256_AES256_GCM_SHA256.");
    put(m, ErrorReason.UNSUPPORTED_VERSION, invalid, false,
        "Set schema_version to 1 for hmb.v1.");
    put(m, ErrorReason.EXPIRED, invalid, false,
        "Create a new message with a fresh message_id, nonce and times; keep the idempotency key.");
    put(m, ErrorReason.NOT_YET_VALID, invalid, false,
        "Synchronise the sender's clock (NTP): create_time is ahead of the gateway's clock beyond the allowed skew.");
    put(m, ErrorReason.REPLAYED, Status.Code.ALREADY_EXISTS, false,
        "Every send needs a new message_id and nonce; to retry an operation, keep only the idempotency key. (The "
            + "exact same envelope sent again is not a replay: the gateway answers it from its record.)");
    put(m, ErrorReason.SIGNATURE_INVALID, Status.Code.UNAUTHENTICATED, false,
        "Sign with the private key of header.sender_key_id over the signing input in docs/envelope.md.");
    put(m, ErrorReason.SENDER_MISMATCH, Status.Code.PERMISSION_DENIED, false,
        "header.sender must be the participant code in your TLS client certificate.");
    put(m, ErrorReason.SENDER_UNKNOWN, Status.Code.UNAUTHENTICATED, false,
        "Ask the gateway operator to register your participant code.");
    put(m, ErrorReason.SENDER_SUSPENDED, Status.Code.PERMISSION_DENIED, false,
        "Your participant is suspended; contact the gateway operator.");
    put(m, ErrorReason.KEY_UNKNOWN, Status.Code.UNAUTHENTICATED, false,
        "Use a key id registered for the participant (DirectoryService.GetParticipant lists them).");
    put(m, ErrorReason.KEY_REVOKED, Status.Code.UNAUTHENTICATED, false,
        "The key is revoked or outside its validity window; use the current primary key.");
    put(m, ErrorReason.DECRYPTION_FAILED, Status.Code.INVALID_ARGUMENT, false,
        "Seal for the recipient's current key (DirectoryService.GetParticipant) and send again.");
    put(m, ErrorReason.WRONG_RECIPIENT, Status.Code.PERMISSION_DENIED, false,
        "The envelope is addressed to another participant; check header.recipient.");
    put(m, ErrorReason.NOT_AUTHORISED, Status.Code.PERMISSION_DENIED, false,
        "Your role may not send this message type to that recipient in that city or for that product; metadata "
            + "\"rule\" and \"check\" name the rule and the check that failed (docs/authorisation.md).");
    put(m, ErrorReason.RECIPIENT_UNKNOWN, Status.Code.NOT_FOUND, false,
        "Address a registered participant (DirectoryService.GetParticipant).");
    put(m, ErrorReason.RECIPIENT_SUSPENDED, Status.Code.FAILED_PRECONDITION, false,
        "The recipient is suspended; contact the gateway operator.");
    put(m, ErrorReason.RECIPIENT_UNAVAILABLE, Status.Code.UNAVAILABLE, true,
        "Retry after the RetryInfo delay with the same idempotency key and a new message_id.");
    put(m, ErrorReason.RECIPIENT_TIMEOUT, Status.Code.DEADLINE_EXCEEDED, true,
        "The outcome is unknown: retry with the same idempotency key so the recipient can answer from its record.");
    put(m, ErrorReason.PRODUCT_UNKNOWN, Status.Code.NOT_FOUND, false,
        "Use a product code the gateway knows (DirectoryService.ResolveProduct).");
    put(m, ErrorReason.IDEMPOTENCY_KEY_REUSED, Status.Code.ALREADY_EXISTS, false,
        "Use a new idempotency key for a different operation; the same key must carry the same content to the same "
            + "recipient.");
    put(m, ErrorReason.IDEMPOTENCY_KEY_MISSING, invalid, false,
        "Set header.idempotency_key, persisted before the first attempt, for this message type.");
    put(m, ErrorReason.DEDUCTION_ALREADY_REVERSED, Status.Code.FAILED_PRECONDITION, false,
        "Never sent (deprecated): a second reversal gets a DeductionReceipt REJECTED with REJECTION_REASON_ALREADY_REVERSED.");
    put(m, ErrorReason.RATE_LIMITED, Status.Code.RESOURCE_EXHAUSTED, true,
        "Slow down: retry after the RetryInfo delay. Metadata \"limit\", when set, names a limit on what is open at once "
            + "(subscribe_streams, pass_through_in_flight_per_sender or _per_recipient, each with \"max\"): close a stream or wait for a call to end.");
    put(m, ErrorReason.DEADLINE_MISSING, invalid, false,
        "Set a deadline on every call (e.g. withDeadlineAfter), no longer than the gateway's maximum.");
    put(m, ErrorReason.PAYLOAD_INVALID, invalid, false,
        "Correct the payload field named in metadata \"field\" and send again.");
    put(m, ErrorReason.NOT_IMPLEMENTED, Status.Code.UNIMPLEMENTED, false,
        "This endpoint does not offer the RPC yet; check the release notes.");
    put(m, ErrorReason.GATEWAY_UNAVAILABLE, Status.Code.UNAVAILABLE, true,
        "Retry after the RetryInfo delay with the same idempotency key.");
    put(m, ErrorReason.AUDIT_CHECKPOINT_UNAVAILABLE, Status.Code.UNAVAILABLE, true,
        "Retry after the RetryInfo delay: the gateway signs its first checkpoint shortly after start.");
    put(m, ErrorReason.TREE_SIZE_INVALID, Status.Code.OUT_OF_RANGE, false,
        "Ask for a size between 1 and metadata \"checkpoint_size\" (GetCheckpoint gives the newest), first size first.");
    put(m, ErrorReason.AUDIT_ENTRY_NOT_FOUND, Status.Code.NOT_FOUND, false,
        "Check the message id; an entry is logged within seconds of the event, so ask again after the next checkpoint.");
    return m;
  }

  private static void put(Map<ErrorReason, Entry> m, ErrorReason reason, Status.Code code,
      boolean retryable, String nextStep) {
    m.put(reason, new Entry(reason, code, retryable, nextStep));
  }
}
