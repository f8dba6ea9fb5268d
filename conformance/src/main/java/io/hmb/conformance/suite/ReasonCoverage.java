package io.hmb.conformance.suite;

import io.hmb.api.v1.ErrorReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which case shows each documented {@link ErrorReason}, or, for the two no client can provoke, where
 * the evidence is instead. A test keeps this complete and docs/conformance.md#error-reasons in step.
 */
public final class ReasonCoverage {
  private static final Map<ErrorReason, ConformanceCase> CASES = new EnumMap<>(ErrorReason.class);
  private static final Map<ErrorReason, String> ELSEWHERE = new EnumMap<>(ErrorReason.class);

  static {
    CASES.put(ErrorReason.MALFORMED_ENVELOPE, ConformanceCase.ENVELOPE_MALFORMED_HEADER);
    CASES.put(ErrorReason.MISSING_HEADER_FIELD, ConformanceCase.ENVELOPE_MISSING_HEADER_FIELD);
    CASES.put(ErrorReason.INVALID_HEADER_FIELD, ConformanceCase.ENVELOPE_INVALID_HEADER_FIELD);
    CASES.put(ErrorReason.UNKNOWN_MESSAGE_TYPE, ConformanceCase.ENVELOPE_UNKNOWN_MESSAGE_TYPE);
    CASES.put(ErrorReason.MESSAGE_TYPE_MISMATCH, ConformanceCase.ENVELOPE_WRONG_RPC);
    CASES.put(ErrorReason.PAYLOAD_TOO_LARGE, ConformanceCase.ENVELOPE_OVERSIZED);
    CASES.put(ErrorReason.UNSUPPORTED_SUITE, ConformanceCase.ENVELOPE_UNSUPPORTED_SUITE);
    CASES.put(ErrorReason.UNSUPPORTED_VERSION, ConformanceCase.ENVELOPE_UNSUPPORTED_VERSION);
    CASES.put(ErrorReason.EXPIRED, ConformanceCase.ENVELOPE_EXPIRED);
    CASES.put(ErrorReason.NOT_YET_VALID, ConformanceCase.ENVELOPE_FROM_THE_FUTURE);
    CASES.put(ErrorReason.REPLAYED, ConformanceCase.ENVELOPE_REPLAYED);
    CASES.put(ErrorReason.SIGNATURE_INVALID, ConformanceCase.ENVELOPE_TAMPERED_SIGNATURE);
    CASES.put(ErrorReason.SENDER_MISMATCH, ConformanceCase.IDENTITY_SENDER_MISMATCH);
    CASES.put(ErrorReason.SENDER_UNKNOWN, ConformanceCase.IDENTITY_SENDER_UNREGISTERED);
    CASES.put(ErrorReason.SENDER_SUSPENDED, ConformanceCase.IDENTITY_SENDER_SUSPENDED);
    CASES.put(ErrorReason.KEY_UNKNOWN, ConformanceCase.ENVELOPE_UNKNOWN_KEY);
    CASES.put(ErrorReason.KEY_REVOKED, ConformanceCase.ENVELOPE_REVOKED_KEY);
    CASES.put(ErrorReason.DECRYPTION_FAILED, ConformanceCase.ENVELOPE_UNDECRYPTABLE);
    CASES.put(ErrorReason.WRONG_RECIPIENT, ConformanceCase.ENDPOINT_REFUSES_WRONG_RECIPIENT);
    CASES.put(ErrorReason.NOT_AUTHORISED, ConformanceCase.ERROR_ROLE_NOT_AUTHORISED);
    CASES.put(ErrorReason.RECIPIENT_UNKNOWN, ConformanceCase.ERROR_RECIPIENT_UNKNOWN);
    CASES.put(ErrorReason.RECIPIENT_SUSPENDED, ConformanceCase.ERROR_RECIPIENT_SUSPENDED);
    CASES.put(ErrorReason.RECIPIENT_UNAVAILABLE, ConformanceCase.ERROR_RECIPIENT_WITHOUT_ENDPOINT);
    CASES.put(ErrorReason.RECIPIENT_TIMEOUT, ConformanceCase.ERROR_RECIPIENT_SILENT);
    CASES.put(ErrorReason.PRODUCT_UNKNOWN, ConformanceCase.ERROR_PRODUCT_UNKNOWN);
    CASES.put(ErrorReason.IDEMPOTENCY_KEY_REUSED, ConformanceCase.DEDUCTION_RETRY_OTHER_BODY);
    CASES.put(ErrorReason.IDEMPOTENCY_KEY_MISSING, ConformanceCase.DEDUCTION_WITHOUT_KEY);
    CASES.put(ErrorReason.RATE_LIMITED, ConformanceCase.ERROR_RATE_LIMITED);
    CASES.put(ErrorReason.DEADLINE_MISSING, ConformanceCase.ERROR_DEADLINE_MISSING);
    CASES.put(ErrorReason.PAYLOAD_INVALID, ConformanceCase.ENVELOPE_PAYLOAD_NOT_ITS_TYPE);
    CASES.put(ErrorReason.NOT_IMPLEMENTED, ConformanceCase.ENDPOINT_REFUSES_UNSERVED_TYPE);
    CASES.put(ErrorReason.TREE_SIZE_INVALID, ConformanceCase.AUDIT_CONSISTENCY_PROVED);
    CASES.put(ErrorReason.AUDIT_ENTRY_NOT_FOUND, ConformanceCase.AUDIT_INCLUSION_PROVED);

    ELSEWHERE.put(ErrorReason.DEDUCTION_ALREADY_REVERSED, "deprecated and never sent: a second reversal is answered "
        + "with a sealed DeductionReceipt REJECTED / REJECTION_REASON_ALREADY_REVERSED (errors.proto)");
    ELSEWHERE.put(ErrorReason.GATEWAY_UNAVAILABLE, "the gateway's own database is down, which no client can cause: "
        + "gateway/src/test/java/io/hmb/gateway/faults/PostgresRestartTest (docs/reliability.md)");
    ELSEWHERE.put(ErrorReason.AUDIT_CHECKPOINT_UNAVAILABLE, "only between a gateway's start and its first checkpoint, "
        + "moments later: gateway/src/test/java/io/hmb/gateway/service/AuditLogServiceTest");
  }

  private ReasonCoverage() {}

  /** The case that shows this reason, if a client can provoke it. */
  public static Optional<ConformanceCase> caseFor(ErrorReason reason) {
    return Optional.ofNullable(CASES.get(reason));
  }

  /** Where the evidence is for a reason no case shows. */
  public static Optional<String> shownElsewhere(ErrorReason reason) {
    return Optional.ofNullable(ELSEWHERE.get(reason));
  }

  /** The documented reasons: every value but UNSPECIFIED. */
  public static ErrorReason[] documented() {
    return java.util.Arrays.stream(ErrorReason.values())
        .filter(r -> r != ErrorReason.ERROR_REASON_UNSPECIFIED && r != ErrorReason.UNRECOGNIZED)
        .toArray(ErrorReason[]::new);
  }

  /** One table row per reason, as docs/conformance.md#error-reasons shows it. */
  public static String row(ErrorReason reason) {
    return caseFor(reason).map(c -> "| `" + reason.name() + "` | [" + c.id() + "](#" + c.id() + ") |")
        .orElseGet(() -> "| `" + reason.name() + "` | none: " + ELSEWHERE.get(reason) + " |");
  }
}
