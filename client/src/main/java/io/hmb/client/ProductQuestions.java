package io.hmb.client;

import io.hmb.api.v1.BenefitQuote;
import io.hmb.api.v1.BenefitQuoteRequest;
import io.hmb.api.v1.CoverageDecision;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.MessageType;
import java.time.Duration;

/** The questions a bureau and a hospital both put to a product's lead insurer. */
final class ProductQuestions {
  private final GatewayClient client;
  private final Duration deadline;

  ProductQuestions(GatewayClient client, Duration deadline) {
    this.client = client;
    this.deadline = deadline;
  }

  Answer<CoverageDecision> checkCoverage(String productCode, CoverageQuery query) {
    return client.exchange(OutboundMessage.builder(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, query)
        .toLeadOf(productCode).deadline(deadline).build(), CoverageDecision.parser());
  }

  Answer<BenefitQuote> quoteBenefit(String productCode, String idempotencyKey, BenefitQuoteRequest request) {
    return client.exchange(OutboundMessage.builder(MessageType.MESSAGE_TYPE_BENEFIT_QUOTE_REQUEST, request)
        .toLeadOf(productCode).idempotencyKey(idempotencyKey).deadline(deadline).build(), BenefitQuote.parser());
  }
}
