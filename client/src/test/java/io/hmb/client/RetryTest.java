package io.hmb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.hmb.api.Errors;
import io.hmb.api.v1.BenefitQuote;
import io.hmb.api.v1.BenefitQuoteRequest;
import io.hmb.api.v1.CoverageDecision;
import io.hmb.api.v1.DeductionReceipt;
import io.hmb.api.v1.DeductionRequest;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.SettlementData;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retries: same idempotency key, new envelope, RetryInfo honoured, bounded, never for refusals. */
class RetryTest extends Fixture {
  GatewayClient lead;

  @BeforeEach
  void endpoints() throws Exception {
    lead = client(LEAD, LEAD_KEY);
    gateway.serveEndpoint(BUREAU, RecipientEndpoint.builder(client(BUREAU, BUREAU_KEY)).allowCallsWithoutTls()
        .onDeductionRequest((r, ctx) -> DeductionReceipt.newBuilder().setDeductionId("D-1")
            .setState(DeductionReceipt.State.STATE_POSTED).setIdempotencyKey(ctx.idempotencyKey()).build())
        .build());
    gateway.serveEndpoint(LEAD, RecipientEndpoint.builder(lead).allowCallsWithoutTls()
        .onCoverageQuery((q, ctx) -> CoverageDecision.newBuilder().setCovered(true).build())
        .onBenefitQuoteRequest((r, ctx) -> BenefitQuote.getDefaultInstance())
        .build());
  }

  static DeductionRequest deduction() {
    return DeductionRequest.newBuilder().setProductCode(PRODUCT).setAmountFen(8_900).build();
  }

  @Test
  void recipientUnavailableIsRetriedWithTheSameKeyInANewEnvelopeAfterTheRetryDelay() {
    gateway.failNext.add(Errors.retryAfter(ErrorReason.RECIPIENT_UNAVAILABLE, "bureau down", Duration.ofMillis(750)));

    Answer<DeductionReceipt> answer = new InsurerClient(lead).requestDeduction(BUREAU, "ded-retry", deduction());

    assertThat(answer.payload().getState()).isEqualTo(DeductionReceipt.State.STATE_POSTED);
    assertThat(gateway.received).hasSize(2);
    EnvelopeHeader first = gateway.received.get(0);
    EnvelopeHeader second = gateway.received.get(1);
    assertThat(second.getIdempotencyKey()).isEqualTo(first.getIdempotencyKey()).isEqualTo("ded-retry");
    assertThat(second.getMessageId()).isNotEqualTo(first.getMessageId());
    assertThat(second.getNonce()).isNotEqualTo(first.getNonce());
    assertThat(second.getContentDigest()).isEqualTo(first.getContentDigest());
    assertThat(answer.requestMessageId()).isEqualTo(second.getMessageId());
    assertThat(waits).containsExactly(Duration.ofMillis(750)); // RetryInfo beats the 200 ms backoff
  }

  @Test
  void notAuthorisedIsNeverRetried() {
    gateway.failNext.add(Errors.of(ErrorReason.NOT_AUTHORISED, "not in this city"));

    assertThatThrownBy(() -> new InsurerClient(lead).requestDeduction(BUREAU, "ded-refused", deduction()))
        .isInstanceOfSatisfying(GatewayException.class, e -> {
          assertThat(e.reason()).contains(ErrorReason.NOT_AUTHORISED);
          assertThat(e.retryable()).isFalse();
          assertThat(e.status().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        });
    assertThat(gateway.received).hasSize(1);
    assertThat(waits).isEmpty();
  }

  @Test
  void attemptsAreBounded() {
    for (int i = 0; i < 5; i++) {
      gateway.failNext.add(Errors.retryAfter(ErrorReason.RATE_LIMITED, "slow down", Duration.ofMillis(1)));
    }

    assertThatThrownBy(() -> new InsurerClient(lead).requestDeduction(BUREAU, "ded-limited", deduction()))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.reason()).contains(ErrorReason.RATE_LIMITED));
    assertThat(gateway.received).hasSize(RetryPolicy.DEFAULT_MAX_ATTEMPTS);
    assertThat(waits).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400)); // exponential backoff
  }

  @Test
  void aDelayBeyondTheBudgetEndsTheRetries() {
    GatewayClient impatient = clientBuilder(LEAD, LEAD_KEY)
        .retryPolicy(RetryPolicy.builder().totalBudget(Duration.ofSeconds(2)).build()).build();
    gateway.failNext.add(Errors.retryAfter(ErrorReason.GATEWAY_UNAVAILABLE, "restarting", Duration.ofSeconds(30)));

    assertThatThrownBy(() -> new InsurerClient(impatient).requestDeduction(BUREAU, "ded-budget", deduction()))
        .isInstanceOfSatisfying(GatewayException.class, e ->
            assertThat(e.retryDelay()).contains(Duration.ofSeconds(30)));
    assertThat(gateway.received).hasSize(1);
  }

  @Test
  void coverageQueryIsRetriedAfterATransportFailureWithoutReason() {
    gateway.failNext.add(Status.UNAVAILABLE.withDescription("connection reset").asRuntimeException());

    assertThat(new HospitalClient(client(HOSPITAL, HOSPITAL_KEY)).checkCoverage(PRODUCT, coverageQuery())
        .payload().getCovered()).isTrue();
    assertThat(gateway.received).hasSize(2);
  }

  @Test
  void quoteWithoutKeyIsNotRetriedBecauseARetryCouldActTwice() {
    gateway.failNext.add(Errors.of(ErrorReason.RECIPIENT_TIMEOUT, "no answer in time"));
    BenefitQuoteRequest request = BenefitQuoteRequest.newBuilder().setBinding(true)
        .setSettlement(SettlementData.newBuilder().setSettlementId("S-1")).build();

    assertThatThrownBy(() -> new HospitalClient(client(HOSPITAL, HOSPITAL_KEY)).quoteBenefit(PRODUCT, request))
        .isInstanceOfSatisfying(GatewayException.class, e -> {
          assertThat(e.reason()).contains(ErrorReason.RECIPIENT_TIMEOUT);
          assertThat(e.retryable()).isTrue(); // retryable with a key; the caller decides
        });
    assertThat(gateway.received).hasSize(1);
  }

  @Test
  void noRetryPolicyMakesOneAttempt() {
    GatewayClient once = clientBuilder(LEAD, LEAD_KEY).retryPolicy(RetryPolicy.none()).build();
    gateway.failNext.add(Errors.retryAfter(ErrorReason.RECIPIENT_UNAVAILABLE, "down", Duration.ofMillis(1)));

    assertThatThrownBy(() -> new InsurerClient(once).requestDeduction(BUREAU, "ded-once", deduction()))
        .isInstanceOf(GatewayException.class);
    assertThat(gateway.received).hasSize(1);
  }

  @Test
  void policyRefusesToRetryANonRetryableReason() {
    assertThatThrownBy(() -> RetryPolicy.builder().retryableReasons(java.util.Set.of(ErrorReason.NOT_AUTHORISED)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
