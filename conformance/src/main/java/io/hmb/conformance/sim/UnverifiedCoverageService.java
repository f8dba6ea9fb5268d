package io.hmb.conformance.sim;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.hmb.api.v1.CoverageDecision;
import io.hmb.api.v1.Delivery;
import io.hmb.api.v1.DeliveryReceipt;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.RecipientServiceGrpc;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.client.DirectoryCache;
import io.hmb.security.EnvelopeException;
import io.hmb.security.PrivateKeyHandle;
import io.hmb.security.Sealer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * <b>Deliberately broken</b> ({@link Flaw#SKIP_SIGNATURE_VERIFICATION}): an insurer endpoint that never
 * opens or verifies what it receives. It reads the header as it comes, answers every coverage query
 * "covered" sealed for whoever the header names as sender, and acknowledges every delivery unread. A
 * conformance suite must catch it by sending a tampered or wrongly signed query directly to the endpoint.
 */
final class UnverifiedCoverageService extends RecipientServiceGrpc.RecipientServiceImplBase {
  private final String self;
  private final PrivateKeyHandle key;
  private final DirectoryCache directory;
  private final Clock clock;
  private final Sealer sealer = Sealer.create();

  UnverifiedCoverageService(String self, PrivateKeyHandle key, DirectoryCache directory, Clock clock) {
    this.self = self;
    this.key = key;
    this.directory = directory;
    this.clock = clock;
  }

  @Override
  public void exchange(SealedEnvelope request, StreamObserver<SealedEnvelope> reply) {
    try {
      EnvelopeHeader asked = EnvelopeHeader.parseFrom(request.getHeader());
      if (asked.getMessageType() != MessageType.MESSAGE_TYPE_COVERAGE_QUERY) {
        reply.onError(Status.UNIMPLEMENTED.withDescription("only coverage queries").asRuntimeException());
        return;
      }
      Instant now = clock.instant();
      EnvelopeHeader.Builder h = EnvelopeHeader.newBuilder().setMessageId(UUID.randomUUID().toString())
          .setCorrelationId(asked.getMessageId()).setSender(self).setRecipient(asked.getSender())
          .setMessageType(MessageType.MESSAGE_TYPE_COVERAGE_DECISION).setAdmdvs(asked.getAdmdvs())
          .setProductCode(asked.getProductCode()).setCreateTime(ProtoDates.timestamp(now))
          .setExpireTime(ProtoDates.timestamp(now.plus(Duration.ofMinutes(10))));
      CoverageDecision answer = CoverageDecision.newBuilder().setCovered(true).setProductCode(asked.getProductCode())
          .setPolicyNumber("UNVERIFIED").build();
      reply.onNext(sealer.seal(h.build(), answer, key, directory.sealingKey(asked.getSender())));
      reply.onCompleted();
    } catch (InvalidProtocolBufferException | EnvelopeException | RuntimeException e) {
      reply.onError(Status.INTERNAL.withDescription("could not answer: " + e.getClass().getSimpleName()).asRuntimeException());
    }
  }

  /** Acknowledges unread: signs an acknowledgement of whatever the header names, for whoever it names as sender. */
  @Override
  public void deliver(Delivery delivery, StreamObserver<DeliveryReceipt> reply) {
    try {
      EnvelopeHeader delivered = EnvelopeHeader.parseFrom(delivery.getEnvelope().getHeader());
      SealedEnvelope ack = io.hmb.security.Acknowledgements.seal(sealer, delivered,
          io.hmb.security.KeyRing.builder().add(key, Instant.EPOCH, Instant.parse("9999-12-31T00:00:00Z")).build(),
          directory.sealingKey(delivered.getSender()), clock.instant());
      reply.onNext(DeliveryReceipt.newBuilder().setMessageId(delivery.getMessageId()).setAcknowledgement(ack).build());
      reply.onCompleted();
    } catch (InvalidProtocolBufferException | EnvelopeException | RuntimeException e) {
      reply.onError(Status.INTERNAL.withDescription("could not acknowledge: " + e.getClass().getSimpleName())
          .asRuntimeException());
    }
  }
}
