package io.hmb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import io.hmb.api.v1.CoverageDecision;
import io.hmb.api.v1.Delivery;
import io.hmb.api.v1.DeliveryReceipt;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.RecipientServiceGrpc;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.security.PrivateKeyHandle;
import io.hmb.security.Sealer;
import java.time.Instant;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** An answer that is not provably the recipient's answer to this request is refused, never returned. */
class AnswerVerificationTest extends Fixture {

  /** A lead insurer that answers with whatever header the test makes of the proper one. */
  void leadAnswers(PrivateKeyHandle signer, UnaryOperator<EnvelopeHeader.Builder> bend,
      UnaryOperator<SealedEnvelope> afterSealing) throws Exception {
    gateway.serveEndpoint(LEAD, new RecipientServiceGrpc.RecipientServiceImplBase() {
      @Override
      public void exchange(SealedEnvelope request, StreamObserver<SealedEnvelope> reply) {
        try {
          EnvelopeHeader asked = EnvelopeHeader.parseFrom(request.getHeader());
          Instant now = Instant.now();
          EnvelopeHeader.Builder h = EnvelopeHeader.newBuilder().setMessageId(UUID.randomUUID().toString())
              .setCorrelationId(asked.getMessageId()).setSender(LEAD).setRecipient(asked.getSender())
              .setMessageType(MessageType.MESSAGE_TYPE_COVERAGE_DECISION).setAdmdvs(asked.getAdmdvs())
              .setCreateTime(FakeGateway.ts(now)).setExpireTime(FakeGateway.ts(now.plusSeconds(300)));
          SealedEnvelope answer = Sealer.create().seal(bend.apply(h).build(),
              CoverageDecision.newBuilder().setCovered(true).build(), signer, HOSPITAL_KEY.publicKey());
          reply.onNext(afterSealing.apply(answer));
          reply.onCompleted();
        } catch (Exception e) {
          reply.onError(e);
        }
      }

      @Override
      public void deliver(Delivery request, StreamObserver<DeliveryReceipt> reply) {
        reply.onError(new UnsupportedOperationException());
      }
    });
  }

  GatewayException refusal() {
    HospitalClient hospital = new HospitalClient(client(HOSPITAL, HOSPITAL_KEY));
    try {
      hospital.checkCoverage(PRODUCT, coverageQuery());
    } catch (GatewayException e) {
      assertThat(e.origin()).isEqualTo(GatewayException.Origin.ANSWER);
      assertThat(e.retryable()).isFalse();
      assertThat(e.getMessage()).contains("may have been acted on").doesNotContain(CERT_NUMBER);
      assertThat(gateway.received).hasSize(1); // an unverifiable answer is not retried
      return e;
    }
    throw new AssertionError("the answer was accepted");
  }

  @Test
  void properAnswerIsAccepted() throws Exception {
    leadAnswers(LEAD_KEY, h -> h, e -> e);
    assertThat(new HospitalClient(client(HOSPITAL, HOSPITAL_KEY)).checkCoverage(PRODUCT, coverageQuery())
        .payload().getCovered()).isTrue();
  }

  @Test
  void answerToAnotherRequestIsRefused() throws Exception {
    leadAnswers(LEAD_KEY, h -> h.setCorrelationId(UUID.randomUUID().toString()), e -> e);
    GatewayException e = refusal();
    assertThat(e.reason()).contains(ErrorReason.INVALID_HEADER_FIELD);
    assertThat(e.metadata()).containsEntry("field", "correlation_id");
  }

  @Test
  void answerFromAnotherParticipantIsRefused() throws Exception {
    // Properly signed by the co-insurer, but the question went to the lead.
    leadAnswers(CO_KEY, h -> h.setSender(CO), e -> e);
    GatewayException e = refusal();
    assertThat(e.metadata()).containsEntry("field", "sender");
  }

  @Test
  void answerClaimingTheLeadButSignedByAnotherKeyIsRefused() throws Exception {
    leadAnswers(CO_KEY, h -> h, e -> e);
    assertThat(refusal().reason()).contains(ErrorReason.KEY_UNKNOWN);
  }

  @Test
  void answerOfTheWrongTypeIsRefused() throws Exception {
    leadAnswers(LEAD_KEY, h -> h.setMessageType(MessageType.MESSAGE_TYPE_INSURED_STATUS), e -> e);
    assertThat(refusal().metadata()).containsEntry("field", "message_type");
  }

  @Test
  void tamperedAnswerIsRefused() throws Exception {
    leadAnswers(LEAD_KEY, h -> h, e -> {
      byte[] c = e.getCiphertext().toByteArray();
      c[c.length / 2] ^= 0x01;
      return e.toBuilder().setCiphertext(ByteString.copyFrom(c)).build();
    });
    assertThat(refusal().reason()).contains(ErrorReason.SIGNATURE_INVALID);
  }

  @Test
  void answerSealedForSomeoneElseIsRefused() throws Exception {
    leadAnswers(LEAD_KEY, h -> h.setRecipient(BUREAU), e -> e);
    assertThat(refusal().reason()).contains(ErrorReason.WRONG_RECIPIENT);
  }

  @Test
  void replayedAnswerIsRefused() throws Exception {
    SealedEnvelope[] first = new SealedEnvelope[1];
    // The second request gets the first answer again (no idempotency key: a replay, not a stored answer).
    leadAnswers(LEAD_KEY, h -> h, e -> first[0] == null ? (first[0] = e) : first[0]);
    GatewayClient hospital = client(HOSPITAL, HOSPITAL_KEY);
    new HospitalClient(hospital).checkCoverage(PRODUCT, coverageQuery());
    assertThatThrownBy(() -> new HospitalClient(hospital).checkCoverage(PRODUCT, coverageQuery()))
        .isInstanceOfSatisfying(GatewayException.class, e -> {
          assertThat(e.origin()).isEqualTo(GatewayException.Origin.ANSWER);
          assertThat(e.reason()).contains(ErrorReason.REPLAYED);
        });
  }
}
