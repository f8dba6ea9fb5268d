package io.hmb.client;

import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.ClaimResult;
import io.hmb.api.v1.DeductionReceipt;
import io.hmb.api.v1.DeductionRequest;
import io.hmb.api.v1.DeductionReversal;
import io.hmb.api.v1.InsuredStatus;
import io.hmb.api.v1.InsuredStatusQuery;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.PolicyRegistration;
import io.hmb.api.v1.ReconciliationReport;
import java.time.Duration;
import java.util.Objects;

/**
 * What an insurer (lead or co-insurer) or its platform sends: enrolment checks and personal-account
 * deductions with the bureau (pass-through, answered by the bureau), and policy registrations, claim
 * results and reconciliation reports (store-and-forward). Immutable and thread-safe; a thin typed
 * layer over {@link GatewayClient}, with its guarantees.
 *
 * <p>Every operation that moves money or is stored takes the idempotency key you persisted for it
 * before calling; call again with the same key after a failure or a crash and you get the original
 * outcome (the bureau never posts one key twice).
 */
public final class InsurerClient {
  private final GatewayClient client;
  private final Duration deadline;

  public InsurerClient(GatewayClient client) {
    this(client, null);
  }

  private InsurerClient(GatewayClient client, Duration deadline) {
    this.client = Objects.requireNonNull(client, "client");
    this.deadline = deadline;
  }

  /** A copy whose calls use this per-attempt deadline (at most 60 s). */
  public InsurerClient withDeadline(Duration deadline) {
    return new InsurerClient(client, GatewayClient.checkDeadline(deadline));
  }

  /** Is the person insured in basic medical insurance in the bureau's city (and may the payer pay)? */
  public Answer<InsuredStatus> checkInsuredStatus(String bureau, InsuredStatusQuery query) {
    return client.exchange(to(MessageType.MESSAGE_TYPE_INSURED_STATUS_QUERY, query, bureau).build(),
        InsuredStatus.parser());
  }

  /**
   * Asks the bureau of the payer's insured city to pay a premium from the personal account. Check the
   * receipt's state: a refusal (REJECTED) is an answer, not an exception.
   */
  public Answer<DeductionReceipt> requestDeduction(String bureau, String idempotencyKey, DeductionRequest request) {
    return client.exchange(to(MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST, request, bureau)
        .productCode(request.getProductCode()).idempotencyKey(idempotencyKey).build(), DeductionReceipt.parser());
  }

  /**
   * Gives a posted deduction of {@code productCode} back; the receipt says REVERSED or why not. The
   * gateway authorises a reversal by its product (docs/authorisation.md, rule deduction_reversal), which
   * the DeductionReversal payload does not carry, so the product travels in the header.
   */
  public Answer<DeductionReceipt> reverseDeduction(String bureau, String productCode, String idempotencyKey,
      DeductionReversal reversal) {
    return client.exchange(to(MessageType.MESSAGE_TYPE_DEDUCTION_REVERSAL, reversal, bureau)
        .productCode(productCode).idempotencyKey(idempotencyKey).build(), DeductionReceipt.parser());
  }

  /**
   * A reversal naming no product.
   *
   * @deprecated the gateway refuses it (NOT_AUTHORISED, check product_named): a reversal must name the
   *     product of the deduction; use {@link #reverseDeduction(String, String, String, DeductionReversal)}
   */
  @Deprecated
  public Answer<DeductionReceipt> reverseDeduction(String bureau, String idempotencyKey, DeductionReversal reversal) {
    return client.exchange(to(MessageType.MESSAGE_TYPE_DEDUCTION_REVERSAL, reversal, bureau)
        .idempotencyKey(idempotencyKey).build(), DeductionReceipt.parser());
  }

  /** Tells the bureau who is enrolled (for one-stop settlement). */
  public Acceptance registerPolicy(String bureau, String idempotencyKey, PolicyRegistration registration) {
    return client.submit(to(MessageType.MESSAGE_TYPE_POLICY_REGISTRATION, registration, bureau)
        .productCode(registration.getProductCode()).idempotencyKey(idempotencyKey).build());
  }

  /** Publishes a claim decision to the city's bureau or a hospital. A correction is a new version. */
  public Acceptance publishClaimResult(String recipient, String idempotencyKey, ClaimResult result) {
    return client.submit(to(MessageType.MESSAGE_TYPE_CLAIM_RESULT, result, recipient)
        .productCode(result.getProductCode()).idempotencyKey(idempotencyKey).build());
  }

  /** Sends a day's reconciliation report to the bureau. */
  public Acceptance submitReconciliation(String bureau, String idempotencyKey, ReconciliationReport report) {
    return client.submit(to(MessageType.MESSAGE_TYPE_RECONCILIATION_REPORT, report, bureau)
        .idempotencyKey(idempotencyKey).build());
  }

  private OutboundMessage.Builder to(MessageType type, com.google.protobuf.MessageLite payload, String recipient) {
    return OutboundMessage.builder(type, payload).to(recipient).deadline(deadline);
  }
}
