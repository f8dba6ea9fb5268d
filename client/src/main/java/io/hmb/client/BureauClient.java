package io.hmb.client;

import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.BenefitQuote;
import io.hmb.api.v1.BenefitQuoteRequest;
import io.hmb.api.v1.CoverageDecision;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.ReconciliationReport;
import io.hmb.api.v1.SettlementCancellation;
import io.hmb.api.v1.SettlementData;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a city's medical-insurance bureau sends: coverage checks and one-stop benefit quotes to a
 * product's lead insurer (pass-through), settlement data and cancellations to it and reconciliation
 * reports to insurers (store-and-forward). Product-addressed calls take the product code; the SDK
 * resolves the lead insurer through the directory. Immutable and thread-safe; a thin typed layer over
 * {@link GatewayClient}, with its guarantees.
 */
public final class BureauClient {
  private final GatewayClient client;
  private final Duration deadline;
  private final ProductQuestions questions;

  public BureauClient(GatewayClient client) {
    this(client, null);
  }

  private BureauClient(GatewayClient client, Duration deadline) {
    this.client = Objects.requireNonNull(client, "client");
    this.deadline = deadline;
    this.questions = new ProductQuestions(client, deadline);
  }

  /** A copy whose calls use this per-attempt deadline (at most 60 s). */
  public BureauClient withDeadline(Duration deadline) {
    return new BureauClient(client, GatewayClient.checkDeadline(deadline));
  }

  /** Is the person covered by the product on the date? Asked of the product's lead insurer. */
  public Answer<CoverageDecision> checkCoverage(String productCode, CoverageQuery query) {
    return questions.checkCoverage(productCode, query);
  }

  /**
   * The product's payout for a discharge (one-stop settlement). For a binding quote prefer
   * {@link #quoteBenefit(String, String, BenefitQuoteRequest)}: without a key it is never retried.
   */
  public Answer<BenefitQuote> quoteBenefit(String productCode, BenefitQuoteRequest request) {
    return questions.quoteBenefit(productCode, null, request);
  }

  /** The same with an idempotency key, so a retry cannot create a second hold. */
  public Answer<BenefitQuote> quoteBenefit(String productCode, String idempotencyKey, BenefitQuoteRequest request) {
    return questions.quoteBenefit(productCode, idempotencyKey, request);
  }

  /** One settlement result to the product's lead insurer. */
  public Acceptance submitSettlement(String productCode, String idempotencyKey, SettlementData data) {
    return client.submit(toLead(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, data, productCode)
        .idempotencyKey(idempotencyKey).build());
  }

  /**
   * A batch of settlement results on the streaming RPC; one Acceptance per record, in order.
   * {@link PartialUploadException} names what was accepted when the gateway stops early.
   */
  public List<Acceptance> uploadSettlements(String productCode, List<Keyed<SettlementData>> batch) {
    return client.upload(batch.stream().map(k -> toLead(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, k.payload(), productCode)
        .idempotencyKey(k.idempotencyKey()).build()).toList());
  }

  /** A settlement was cancelled (platform 2305). */
  public Acceptance cancelSettlement(String productCode, String idempotencyKey, SettlementCancellation cancellation) {
    return client.submit(toLead(MessageType.MESSAGE_TYPE_SETTLEMENT_CANCELLATION, cancellation, productCode)
        .idempotencyKey(idempotencyKey).build());
  }

  /** A day's reconciliation report to an insurer. */
  public Acceptance submitReconciliation(String insurer, String idempotencyKey, ReconciliationReport report) {
    return client.submit(OutboundMessage.builder(MessageType.MESSAGE_TYPE_RECONCILIATION_REPORT, report)
        .to(insurer).idempotencyKey(idempotencyKey).deadline(deadline).build());
  }

  private OutboundMessage.Builder toLead(MessageType type, com.google.protobuf.MessageLite payload, String productCode) {
    return OutboundMessage.builder(type, payload).toLeadOf(productCode).deadline(deadline);
  }
}
