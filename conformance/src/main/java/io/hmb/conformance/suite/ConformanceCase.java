package io.hmb.conformance.suite;

import static io.hmb.conformance.suite.Capability.AUDIT_LOG;
import static io.hmb.conformance.suite.Capability.ADVERSARY;
import static io.hmb.conformance.suite.Capability.BENEFIT_RULES;
import static io.hmb.conformance.suite.Capability.CLAIM_RESULTS;
import static io.hmb.conformance.suite.Capability.DELIVERY;
import static io.hmb.conformance.suite.Capability.ELIGIBILITY;
import static io.hmb.conformance.suite.Capability.ENVELOPE_AND_CRYPTO;
import static io.hmb.conformance.suite.Capability.ERRORS;
import static io.hmb.conformance.suite.Capability.IDENTITY_AND_MTLS;
import static io.hmb.conformance.suite.Capability.PREMIUM_DEDUCTION;
import static io.hmb.conformance.suite.Capability.RECONCILIATION;
import static io.hmb.conformance.suite.Capability.SETTLEMENT;

import io.hmb.api.v1.Role;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The catalogue of conformance cases: stable snake_case ids (never reused for another check), each
 * with what it checks, the requirement it rests on, and the roles the suite can play to run it.
 * docs/conformance.md has one section per id; a test keeps the two in step.
 */
public enum ConformanceCase {
  CRYPTO_SM3_VECTORS(ENVELOPE_AND_CRYPTO, "SM3 of the GB/T 32905 vectors gives the published digests",
      "docs/envelope.md#algorithms", any()),
  CRYPTO_SM4_VECTORS(ENVELOPE_AND_CRYPTO, "SM4 of the GB/T 32907 vector gives the published ciphertext",
      "docs/envelope.md#algorithms", any()),
  ENVELOPE_TAMPERED_SIGNATURE(ENVELOPE_AND_CRYPTO, "an envelope whose signature was altered is refused: SIGNATURE_INVALID",
      "envelope.proto SealedEnvelope.signature; docs/errors.md", any()),
  ENVELOPE_EXPIRED(ENVELOPE_AND_CRYPTO, "an envelope past its expire_time is refused: EXPIRED",
      "envelope.proto EnvelopeHeader.expire_time", any()),
  ENVELOPE_FROM_THE_FUTURE(ENVELOPE_AND_CRYPTO, "create_time beyond the allowed clock skew is refused: NOT_YET_VALID",
      "envelope.proto EnvelopeHeader.create_time", any()),
  ENVELOPE_REPLAYED(ENVELOPE_AND_CRYPTO, "a message_id reused for other content is refused: REPLAYED",
      "envelope.proto EnvelopeHeader.message_id, nonce", any()),
  ENVELOPE_OVERSIZED(ENVELOPE_AND_CRYPTO, "an envelope over the size limit is refused: PAYLOAD_TOO_LARGE with limit_bytes",
      "docs/envelope.md#wire-format", any()),
  ENVELOPE_WRONG_RPC(ENVELOPE_AND_CRYPTO, "a message type sent on another type's RPC is refused: MESSAGE_TYPE_MISMATCH",
      "services in hmb.v1", any()),
  ENVELOPE_UNKNOWN_KEY(ENVELOPE_AND_CRYPTO, "an envelope signed with an unregistered key is refused: KEY_UNKNOWN",
      "envelope.proto EnvelopeHeader.sender_key_id", any()),
  ENVELOPE_MALFORMED_HEADER(ENVELOPE_AND_CRYPTO, "header bytes that are not an EnvelopeHeader are refused: MALFORMED_ENVELOPE",
      "envelope.proto SealedEnvelope.header", any()),
  ENVELOPE_MISSING_HEADER_FIELD(ENVELOPE_AND_CRYPTO, "a header without its nonce is refused: MISSING_HEADER_FIELD naming "
      + "the field", "envelope.proto EnvelopeHeader.nonce; docs/envelope.md#7-check-order", any()),
  ENVELOPE_INVALID_HEADER_FIELD(ENVELOPE_AND_CRYPTO, "a header whose admdvs is not six digits is refused: "
      + "INVALID_HEADER_FIELD naming the field", "envelope.proto EnvelopeHeader.admdvs; docs/envelope.md#7-check-order", any()),
  ENVELOPE_UNKNOWN_MESSAGE_TYPE(ENVELOPE_AND_CRYPTO, "a message type hmb.v1 does not define is refused: UNKNOWN_MESSAGE_TYPE",
      "envelope.proto EnvelopeHeader.message_type", any()),
  ENVELOPE_UNSUPPORTED_SUITE(ENVELOPE_AND_CRYPTO, "a cipher suite hmb.v1 does not define is refused: UNSUPPORTED_SUITE",
      "envelope.proto EnvelopeHeader.cipher_suite; docs/envelope.md#algorithms", any()),
  ENVELOPE_UNSUPPORTED_VERSION(ENVELOPE_AND_CRYPTO, "a schema_version other than 1 is refused: UNSUPPORTED_VERSION",
      "envelope.proto EnvelopeHeader.schema_version", any()),
  ENVELOPE_REVOKED_KEY(ENVELOPE_AND_CRYPTO, "an envelope signed with a revoked key is refused: KEY_REVOKED (fixture "
      + "FIXTURE-REVOKED-KEY)", "envelope.proto EnvelopeHeader.sender_key_id; docs/conformance.md#fixtures", any()),
  ENVELOPE_UNDECRYPTABLE(ENVELOPE_AND_CRYPTO, "an envelope whose content key is wrapped for another key is refused by the "
      + "counterpart and the refusal passed back unchanged: DECRYPTION_FAILED",
      "envelope.proto SealedEnvelope.wrapped_key, EnvelopeHeader.recipient_key_id", any()),
  ENVELOPE_PAYLOAD_NOT_ITS_TYPE(ENVELOPE_AND_CRYPTO, "a payload that does not parse as its message type is refused by the "
      + "counterpart and the refusal passed back unchanged: PAYLOAD_INVALID", "envelope.proto EnvelopeHeader.message_type; "
      + "docs/errors.md PAYLOAD_INVALID", any()),
  IDENTITY_SENDER_MISMATCH(IDENTITY_AND_MTLS, "header.sender other than the TLS certificate's participant is refused: SENDER_MISMATCH",
      "envelope.proto EnvelopeHeader.sender", any()),
  IDENTITY_SENDER_UNREGISTERED(IDENTITY_AND_MTLS, "a sender with a valid certificate but no registration is refused: "
      + "SENDER_UNKNOWN (fixture FIXTURE-UNREGISTERED)", "envelope.proto EnvelopeHeader.sender; docs/conformance.md#fixtures",
      any()),
  IDENTITY_SENDER_SUSPENDED(IDENTITY_AND_MTLS, "a suspended sender is refused: SENDER_SUSPENDED (fixture FIXTURE-SUSPENDED)",
      "docs/errors.md SENDER_SUSPENDED; docs/conformance.md#fixtures", any()),
  IDENTITY_HEALTH_WITHOUT_CERTIFICATE(IDENTITY_AND_MTLS, "grpc.health.v1 answers SERVING over TLS without a client certificate",
      "README.md; ARCHITECTURE.md transport", any()),
  COVERAGE_QUERY_ANSWERED(ELIGIBILITY, "a coverage query to the product's lead insurer is answered with a sealed CoverageDecision "
      + "correlated to the query", "eligibility.proto CheckCoverage", EnumSet.of(Role.ROLE_BUREAU, Role.ROLE_HOSPITAL)),
  COVERAGE_OTHER_CITY_NOT_AUTHORISED(ELIGIBILITY, "a coverage query about another city's product is refused: NOT_AUTHORISED",
      "docs/authorisation.md", EnumSet.of(Role.ROLE_BUREAU, Role.ROLE_HOSPITAL)),
  INSURED_STATUS_ANSWERED(ELIGIBILITY, "an insured-status query to the bureau is answered with a sealed InsuredStatus",
      "eligibility.proto CheckInsuredStatus", EnumSet.of(Role.ROLE_INSURER)),
  DEDUCTION_RECEIPT(PREMIUM_DEDUCTION, "a deduction request is answered with a receipt (POSTED, or REJECTED with a reason) "
      + "echoing the idempotency key",
      "premium.proto RequestDeduction, DeductionReceipt", EnumSet.of(Role.ROLE_INSURER)),
  DEDUCTION_RETRY_SAME_BODY(PREMIUM_DEDUCTION, "the same idempotency key and body, sealed anew, gets the original receipt: posted once",
      "premium.proto RequestDeduction; ARCHITECTURE.md exactly once", EnumSet.of(Role.ROLE_INSURER)),
  DEDUCTION_RETRY_OTHER_BODY(PREMIUM_DEDUCTION, "the same idempotency key with another body is refused: IDEMPOTENCY_KEY_REUSED",
      "docs/errors.md IDEMPOTENCY_KEY_REUSED", EnumSet.of(Role.ROLE_INSURER)),
  DEDUCTION_WITHOUT_KEY(PREMIUM_DEDUCTION, "a deduction without an idempotency key is refused: IDEMPOTENCY_KEY_MISSING",
      "envelope.proto EnvelopeHeader.idempotency_key", EnumSet.of(Role.ROLE_INSURER)),
  SETTLEMENT_ACCEPTED(SETTLEMENT, "settlement data is accepted (committed) with an Acceptance naming the message",
      "settlement.proto SubmitSettlement", EnumSet.of(Role.ROLE_BUREAU)),
  SETTLEMENT_RETRY_REPLAYED(SETTLEMENT, "a resubmission with the same key gets the first Acceptance back, marked replayed",
      "envelope.proto Acceptance.replayed", EnumSet.of(Role.ROLE_BUREAU)),
  BENEFIT_QUOTE_ANSWERED(SETTLEMENT, "a one-stop quote at discharge is answered with a sealed BenefitQuote whose liabilities add up",
      "settlement.proto QuoteBenefit, BenefitQuote", EnumSet.of(Role.ROLE_BUREAU, Role.ROLE_HOSPITAL)),
  CLAIM_RESULT_ACCEPTED(CLAIM_RESULTS, "a claim result whose co-insurer shares add up to the payout is accepted",
      "claim.proto PublishClaimResult, CoinsurerShare", EnumSet.of(Role.ROLE_INSURER)),
  RECONCILIATION_ACCEPTED(RECONCILIATION, "a daily reconciliation report is accepted", "reconciliation.proto SubmitReport",
      EnumSet.of(Role.ROLE_BUREAU, Role.ROLE_INSURER)),
  INBOX_ACKNOWLEDGE_IDEMPOTENT(DELIVERY, "acknowledging unknown or already acknowledged ids is harmless and reported",
      "delivery.proto Acknowledge", any()),
  ERROR_DEADLINE_MISSING(ERRORS, "a pass-through call without a deadline is refused: DEADLINE_MISSING",
      "docs/errors.md DEADLINE_MISSING", any()),
  ERROR_RECIPIENT_UNKNOWN(ERRORS, "a message to an unregistered participant is refused: RECIPIENT_UNKNOWN",
      "docs/errors.md RECIPIENT_UNKNOWN", any()),
  ERROR_ROLE_NOT_AUTHORISED(ERRORS, "a message type the role may not send is refused: NOT_AUTHORISED",
      "docs/authorisation.md", any()),
  ERROR_RECIPIENT_SUSPENDED(ERRORS, "a message to a suspended participant is refused: RECIPIENT_SUSPENDED (fixture "
      + "FIXTURE-SUSPENDED)", "docs/errors.md RECIPIENT_SUSPENDED; docs/conformance.md#fixtures", any()),
  ERROR_RECIPIENT_WITHOUT_ENDPOINT(ERRORS, "a pass-through question to a participant with no endpoint is refused: "
      + "RECIPIENT_UNAVAILABLE with a RetryInfo (fixture FIXTURE-NO-ENDPOINT)", "docs/errors.md RECIPIENT_UNAVAILABLE; "
      + "docs/conformance.md#fixtures", EnumSet.of(Role.ROLE_INSURER)),
  ERROR_RECIPIENT_SILENT(ERRORS, "a pass-through question to an endpoint that never answers gets RECIPIENT_TIMEOUT with a "
      + "RetryInfo before the caller's deadline (fixture FIXTURE-SILENT)", "docs/errors.md RECIPIENT_TIMEOUT; "
      + "ARCHITECTURE.md deadlines; docs/conformance.md#fixtures", EnumSet.of(Role.ROLE_INSURER)),
  ERROR_PRODUCT_UNKNOWN(ERRORS, "a coverage query naming a product the gateway does not know is refused: PRODUCT_UNKNOWN",
      "envelope.proto EnvelopeHeader.product_code", EnumSet.of(Role.ROLE_BUREAU, Role.ROLE_HOSPITAL)),
  ERROR_RATE_LIMITED(ERRORS, "a sender over its rate limit is refused: RATE_LIMITED with a RetryInfo (fixture "
      + "FIXTURE-THROTTLED, one message a second)", "docs/errors.md RATE_LIMITED; docs/conformance.md#fixtures", any()),
  AUDIT_CHECKPOINT_SIGNED(AUDIT_LOG, "the gateway's newest audit checkpoint verifies with the log's public key "
      + "(log-key.pub.pem beside ca.crt)", "audit.proto GetCheckpoint; docs/audit-log.md#checkpoints",
      EnumSet.of(Role.ROLE_BUREAU, Role.ROLE_INSURER)),
  AUDIT_INCLUSION_PROVED(AUDIT_LOG, "a message just sent is in the audit log as sent by us: its inclusion proof leads to "
      + "a signed checkpoint's root; a message never sent is refused: AUDIT_ENTRY_NOT_FOUND",
      "audit.proto GetInclusionProof; RFC 9162 2.1.3; docs/audit-log.md",
      EnumSet.of(Role.ROLE_BUREAU, Role.ROLE_INSURER)),
  AUDIT_CONSISTENCY_PROVED(AUDIT_LOG, "a newer checkpoint extends an older one: the consistency proof rebuilds both "
      + "signed roots; a size no checkpoint signed is refused: TREE_SIZE_INVALID",
      "audit.proto GetConsistencyProof; RFC 9162 2.1.4; docs/audit-log.md",
      EnumSet.of(Role.ROLE_BUREAU, Role.ROLE_INSURER)),
  BENEFIT_GOLDEN_CASES(BENEFIT_RULES, "every benefit case in conformance/cases/benefit gives its expected payout to the fen",
      "docs/products.md; conformance/cases/benefit", any()),
  // Adversary cases (cases/AdversaryCases): a participant trying what its role, city or product do not allow.
  ADVERSARY_CROSS_CITY_DEDUCTION(ADVERSARY, "a deduction for another city's product, or at another city's bureau, is "
      + "refused before it reaches a bureau: NOT_AUTHORISED naming the rule, no amount", "docs/authorisation.md "
      + "deduction_request; issue 15", EnumSet.of(Role.ROLE_INSURER)),
  ADVERSARY_LIFETIME_OVER_24H(ADVERSARY, "a pass-through envelope whose expire_time is more than 24 hours after its "
      + "create_time is refused: INVALID_HEADER_FIELD naming expire_time", "docs/envelope.md time rules; issue 15",
      any()),
  ADVERSARY_KEY_REUSED_ACROSS_RECIPIENTS(ADVERSARY, "the same idempotency key and content sent to a second recipient "
      + "is refused, not replayed: IDEMPOTENCY_KEY_REUSED", "ARCHITECTURE.md exactly once; docs/errors.md "
      + "IDEMPOTENCY_KEY_REUSED; issue 15", EnumSet.of(Role.ROLE_BUREAU, Role.ROLE_INSURER)),
  // Adversary cases about limits (cases/AdversaryLimitsCases): what a caller may steer besides its own messages.
  ADVERSARY_FORGED_LOG_LINE(ADVERSARY, "a correlation id holding a line break (a forged log line, an ID number and a "
      + "name, 1 MB) is refused: INVALID_HEADER_FIELD naming correlation_id, in a message that repeats none of it",
      "docs/envelope.md header fields; docs/security.md logs; issue 15", any()),
  ADVERSARY_SUSPENDED_SUBSCRIBE(ADVERSARY, "a suspended participant cannot open its inbox stream: Subscribe as "
      + "FIXTURE-SUSPENDED is refused with SENDER_SUSPENDED", "docs/security.md standing on every call; issue 15",
      any()),
  // Endpoint mode: the suite plays the gateway and calls the participant's RecipientService directly.
  // For these cases the roles are those of the endpoint under test, not of the suite.
  ENDPOINT_REFUSES_TAMPERED_SIGNATURE(ENVELOPE_AND_CRYPTO, "a participant endpoint refuses a pass-through request whose "
      + "signature was altered, with an error, instead of answering it", "envelope.proto SealedEnvelope.signature; "
      + "delivery.proto RecipientService.Exchange", Mode.ENDPOINT, EnumSet.of(Role.ROLE_BUREAU, Role.ROLE_INSURER)),
  ENDPOINT_REFUSES_WRONG_RECIPIENT(ENVELOPE_AND_CRYPTO, "a participant endpoint refuses a request whose header names "
      + "another recipient, with an error, instead of answering it", "envelope.proto EnvelopeHeader.recipient; "
      + "docs/errors.md WRONG_RECIPIENT", Mode.ENDPOINT, EnumSet.of(Role.ROLE_BUREAU, Role.ROLE_INSURER)),
  ENDPOINT_DEDUCTION_RETRY_POSTS_ONCE(PREMIUM_DEDUCTION, "a bureau endpoint given the same DeductionRequest idempotency key "
      + "twice, sealed anew, answers the same deduction: posted once", "premium.proto RequestDeduction; "
      + "ARCHITECTURE.md exactly once", Mode.ENDPOINT, EnumSet.of(Role.ROLE_BUREAU)),
  ENDPOINT_DELIVERY_DEDUPLICATED(DELIVERY, "a pushed Delivery repeated with attempt 2 is acknowledged again: both "
      + "DeliveryReceipts name the message and carry a signed acknowledgement of it", "delivery.proto RecipientService.Deliver, Delivery.attempt", Mode.ENDPOINT,
      EnumSet.of(Role.ROLE_BUREAU, Role.ROLE_INSURER)),
  ENDPOINT_REFUSES_EXPIRED(ENVELOPE_AND_CRYPTO, "a participant endpoint refuses a request past its expire_time (EXPIRED) "
      + "instead of answering it", "envelope.proto EnvelopeHeader.expire_time; docs/envelope.md#7-check-order", Mode.ENDPOINT,
      EnumSet.of(Role.ROLE_BUREAU, Role.ROLE_INSURER)),
  ENDPOINT_REFUSES_REPLAYED(ENVELOPE_AND_CRYPTO, "a participant endpoint refuses a second envelope with the same message_id "
      + "and nonce (REPLAYED) instead of answering it again", "envelope.proto EnvelopeHeader.message_id, nonce; "
      + "docs/envelope.md#7-check-order", Mode.ENDPOINT, EnumSet.of(Role.ROLE_BUREAU, Role.ROLE_INSURER)),
  ENDPOINT_REFUSES_UNSERVED_TYPE(ENVELOPE_AND_CRYPTO, "a participant endpoint asked a question its role does not answer "
      + "refuses it (NOT_IMPLEMENTED) instead of answering something", "delivery.proto RecipientService.Exchange; "
      + "docs/errors.md NOT_IMPLEMENTED", Mode.ENDPOINT, EnumSet.of(Role.ROLE_BUREAU, Role.ROLE_INSURER)),
  // Adversaries (AdversaryIdentityCases): who may connect to whom.
  ADVERSARY_DIRECT_CALL_WITH_PARTICIPANT_CERTIFICATE(ADVERSARY, "a participant endpoint refuses a correctly sealed "
      + "question a participant sends it directly, bypassing the gateway, with its own certificate of the same CA",
      "delivery.proto RecipientService (the gateway is the only caller); docs/security.md Certificate profiles",
      Mode.ENDPOINT, EnumSet.of(Role.ROLE_BUREAU, Role.ROLE_INSURER)),
  ADVERSARY_PARTICIPANT_CERTIFICATE_POSING_AS_GATEWAY(ADVERSARY, "a participant endpoint takes no pushed delivery "
      + "from a participant's certificate posing as the gateway: no DeliveryReceipt, no handler run",
      "delivery.proto RecipientService.Deliver; docs/security.md Certificate profiles", Mode.ENDPOINT,
      EnumSet.of(Role.ROLE_BUREAU, Role.ROLE_INSURER)),
  ADVERSARY_PARTICIPANT_CERTIFICATE_POSING_AS_ENDPOINT(ADVERSARY, "a participant endpoint presents an endpoint "
      + "certificate of its own participant, so the gateway reaches it, and a connection expecting another "
      + "participant's endpoint refuses it", "docs/security.md Certificate profiles; delivery.proto RecipientService",
      Mode.ENDPOINT, EnumSet.of(Role.ROLE_BUREAU, Role.ROLE_INSURER));

  /** How a case reaches the participant under test. */
  public enum Mode {
    /** Through a gateway (--target), as one participant: the default. */
    GATEWAY,
    /** Directly at a participant's RecipientService (--endpoint), the suite playing the gateway. */
    ENDPOINT
  }

  private final Capability capability;
  private final String description;
  private final String requirement;
  private final Mode mode;
  private final Set<Role> roles;

  ConformanceCase(Capability capability, String description, String requirement, Set<Role> roles) {
    this(capability, description, requirement, Mode.GATEWAY, roles);
  }

  ConformanceCase(Capability capability, String description, String requirement, Mode mode, Set<Role> roles) {
    this.capability = capability;
    this.description = description;
    this.requirement = requirement;
    this.mode = mode;
    this.roles = roles;
  }

  private static Set<Role> any() {
    return EnumSet.of(Role.ROLE_BUREAU, Role.ROLE_HOSPITAL, Role.ROLE_INSURER);
  }

  public Capability capability() {
    return capability;
  }

  public String description() {
    return description;
  }

  public String requirement() {
    return requirement;
  }

  /** Whether the case runs through a gateway or directly at a participant's endpoint. */
  public Mode mode() {
    return mode;
  }

  /** Whether the suite can run this case through a gateway while acting as {@code role} (never for endpoint cases). */
  public boolean runsAs(Role role) {
    return mode == Mode.GATEWAY && roles.contains(role);
  }

  /** Whether this endpoint-mode case applies to an endpoint of a participant with {@code role}. */
  public boolean runsAgainstEndpointOf(Role role) {
    return mode == Mode.ENDPOINT && roles.contains(role);
  }

  /** The stable id, e.g. {@code deduction_retry_same_body}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return id();
  }

  /** Case-insensitive lookup by id, as on the command line. */
  public static ConformanceCase fromId(String id) {
    try {
      return valueOf(id.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("no conformance case '" + id + "'; run with --list to see the ids");
    }
  }
}
