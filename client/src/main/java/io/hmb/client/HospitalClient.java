package io.hmb.client;

import io.hmb.api.v1.BenefitQuote;
import io.hmb.api.v1.BenefitQuoteRequest;
import io.hmb.api.v1.CoverageDecision;
import io.hmb.api.v1.CoverageQuery;
import java.time.Duration;
import java.util.Objects;

/**
 * What a designated hospital asks a product's lead insurer: coverage at admission or discharge, and
 * the one-stop payout at discharge. Both pass-through: the answer comes back in the same call.
 * Immutable and thread-safe; a thin typed layer over {@link GatewayClient}, with its guarantees.
 */
public final class HospitalClient {
  private final GatewayClient client;
  private final ProductQuestions questions;

  public HospitalClient(GatewayClient client) {
    this(client, null);
  }

  private HospitalClient(GatewayClient client, Duration deadline) {
    this.client = Objects.requireNonNull(client, "client");
    this.questions = new ProductQuestions(client, deadline);
  }

  /** A copy whose calls use this per-attempt deadline (at most 60 s). */
  public HospitalClient withDeadline(Duration deadline) {
    return new HospitalClient(client, GatewayClient.checkDeadline(deadline));
  }

  /** Is the patient covered by the product on the date? */
  public Answer<CoverageDecision> checkCoverage(String productCode, CoverageQuery query) {
    return questions.checkCoverage(productCode, query);
  }

  /** The product's payout for a discharge; without a key it is never retried. */
  public Answer<BenefitQuote> quoteBenefit(String productCode, BenefitQuoteRequest request) {
    return questions.quoteBenefit(productCode, null, request);
  }

  /** The same with an idempotency key (use it for binding quotes). */
  public Answer<BenefitQuote> quoteBenefit(String productCode, String idempotencyKey, BenefitQuoteRequest request) {
    return questions.quoteBenefit(productCode, idempotencyKey, request);
  }
}
