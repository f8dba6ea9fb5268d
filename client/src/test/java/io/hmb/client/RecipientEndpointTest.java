package io.hmb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.hmb.api.Errors;
import io.hmb.api.v1.CoverageDecision;
import io.hmb.api.v1.DeductionReceipt;
import io.hmb.api.v1.DeductionRequest;
import io.hmb.api.v1.Delivery;
import io.hmb.api.v1.DeliveryReceipt;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.RecipientServiceGrpc;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.api.v1.SettlementData;
import io.hmb.security.KeyRing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The receiving side, called directly as the gateway calls it. */
class RecipientEndpointTest extends Fixture {
  final List<String> settlements = new CopyOnWriteArrayList<>();
  final AtomicInteger refusalsLeft = new AtomicInteger();
  GatewayClient bureau;

  @BeforeEach
  void leadEndpoint() throws Exception {
    bureau = client(BUREAU, BUREAU_KEY);
    gateway.serveEndpoint(LEAD, RecipientEndpoint.builder(client(LEAD, LEAD_KEY)).allowCallsWithoutTls()
        .onSettlementData((s, ctx) -> {
          if (refusalsLeft.getAndDecrement() > 0) {
            throw new InvalidPayloadException("settlement_id", "not a settlement of ours yet");
          }
          if (s.getSettlementId().equals("S-CRASH")) {
            throw new IllegalStateException("cannot store person " + s.getPerson().getCertNumber());
          }
          settlements.add(s.getSettlementId());
        })
        .onCoverageQuery((q, ctx) -> CoverageDecision.newBuilder().setCovered(true).build())
        .build());
  }

  RecipientServiceGrpc.RecipientServiceBlockingStub lead() {
    return RecipientServiceGrpc.newBlockingStub(gateway.endpointChannel(LEAD)).withDeadlineAfter(5, TimeUnit.SECONDS);
  }

  /** An envelope as the bureau's SDK seals it, without sending it. */
  Sealed sealedByBureau(OutboundMessage m) {
    return new EnvelopeFactory(BUREAU, KeyRing.builder().add(BUREAU_KEY, Instant.EPOCH,
        Instant.now().plusSeconds(3600)).build(), Clock.systemUTC(), Duration.ofMinutes(5), Duration.ofDays(1),
        bureau.directory()).seal(m);
  }

  Delivery settlement(String id, String to) {
    Sealed s = sealedByBureau(OutboundMessage.builder(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA,
            SettlementData.newBuilder().setSettlementId(id).setPerson(io.hmb.api.v1.Person.newBuilder()
                .setCertNumber(CERT_NUMBER)).build())
        .to(to).productCode(PRODUCT).idempotencyKey("setl-" + id).build());
    return Delivery.newBuilder().setEnvelope(s.envelope()).setMessageId(s.messageId()).setAttempt(1).build();
  }

  static void expectReason(Runnable call, ErrorReason reason) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(Errors.reason(e)).as(e.getStatus().toString()).contains(reason));
  }

  @Test
  void deliveryComingTwiceIsHandledOnceAndAcknowledgedBothTimes() {
    Delivery d = settlement("S-1", LEAD);

    DeliveryReceipt first = lead().deliver(d);
    DeliveryReceipt second = lead().deliver(d.toBuilder().setAttempt(2).build());

    assertThat(first.getMessageId()).isEqualTo(d.getMessageId());
    assertThat(second.getMessageId()).isEqualTo(d.getMessageId());
    assertThat(settlements).containsExactly("S-1");
  }

  @Test
  void refusedDeliveryIsPayloadInvalidAndIsHandledWhenItComesAgain() {
    refusalsLeft.set(1);
    Delivery d = settlement("S-2", LEAD);

    assertThatThrownBy(() -> lead().deliver(d)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(Errors.reason(e)).contains(ErrorReason.PAYLOAD_INVALID);
      assertThat(Errors.errorInfo(e).orElseThrow().getMetadataMap()).containsEntry("field", "settlement_id");
    });
    lead().deliver(d.toBuilder().setAttempt(2).build());

    assertThat(settlements).containsExactly("S-2");
  }

  @Test
  void handlerCrashIsInternalAndLeaksNothingOfThePayload() {
    assertThatThrownBy(() -> lead().deliver(settlement("S-CRASH", LEAD)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
          assertThat(e.getStatus().getDescription()).contains("IllegalStateException").doesNotContain(CERT_NUMBER);
        });
  }

  @Test
  void typeWithoutHandlerIsNotImplemented() {
    Sealed s = sealedByBureau(OutboundMessage.builder(MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST,
        DeductionRequest.getDefaultInstance()).to(LEAD).idempotencyKey("k").build());
    expectReason(() -> lead().exchange(s.envelope()), ErrorReason.NOT_IMPLEMENTED);
  }

  @Test
  void envelopeForSomeoneElseIsWrongRecipient() {
    expectReason(() -> lead().deliver(settlement("S-3", CO)), ErrorReason.WRONG_RECIPIENT);
    assertThat(settlements).isEmpty();
  }

  @Test
  void passThroughAnswerIsCorrelatedAndARepeatedRequestIsAReplay() throws Exception {
    Sealed s = sealedByBureau(OutboundMessage.builder(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, coverageQuery())
        .toLeadOf(PRODUCT).build());

    SealedEnvelope answer = lead().exchange(s.envelope());
    EnvelopeHeader h = EnvelopeHeader.parseFrom(answer.getHeader());

    assertThat(h.getCorrelationId()).isEqualTo(s.messageId());
    assertThat(h.getRecipient()).isEqualTo(BUREAU);
    assertThat(h.getSender()).isEqualTo(LEAD);
    assertThat(h.getMessageType()).isEqualTo(MessageType.MESSAGE_TYPE_COVERAGE_DECISION);
    assertThat(h.getProductCode()).isEqualTo(PRODUCT);
    assertThat(h.getRecipientKeyId()).isEqualTo(BUREAU_KEY.keyId());
    expectReason(() -> lead().exchange(s.envelope()), ErrorReason.REPLAYED);
  }

  @Test
  void deductionAnswerEchoesTheKeySoAReplayedStoredAnswerCanBeRecognised() throws Exception {
    gateway.serveEndpoint(BUREAU, RecipientEndpoint.builder(bureau).allowCallsWithoutTls()
        .onDeductionRequest((r, ctx) -> DeductionReceipt.newBuilder().setState(DeductionReceipt.State.STATE_POSTED).build())
        .build());
    GatewayClient lead = client(LEAD, LEAD_KEY);
    Sealed s = new EnvelopeFactory(LEAD, KeyRing.builder().add(LEAD_KEY, Instant.EPOCH,
        Instant.now().plusSeconds(3600)).build(), Clock.systemUTC(), Duration.ofMinutes(5), Duration.ofDays(1),
        lead.directory()).seal(OutboundMessage.builder(MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST,
            DeductionRequest.newBuilder().setProductCode(PRODUCT).build()).to(BUREAU).idempotencyKey("ded-echo").build());

    SealedEnvelope answer = RecipientServiceGrpc.newBlockingStub(gateway.endpointChannel(BUREAU))
        .withDeadlineAfter(5, TimeUnit.SECONDS).exchange(s.envelope());

    EnvelopeHeader h = EnvelopeHeader.parseFrom(answer.getHeader());
    assertThat(h.getIdempotencyKey()).isEqualTo("ded-echo");
    assertThat(h.getContentDigest()).isNotEmpty();
    assertThat(h.getCorrelationId()).isEqualTo(s.messageId());
  }
}
