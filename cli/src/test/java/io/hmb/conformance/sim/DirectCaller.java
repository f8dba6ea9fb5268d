package io.hmb.conformance.sim;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.RecipientServiceGrpc;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.security.Opener;
import io.hmb.security.Sealer;
import io.hmb.security.replay.InMemoryReplayGuard;
import io.hmb.security.tls.MutualTls;
import io.hmb.security.tls.TlsIdentity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Calls a participant's endpoint directly, bypassing the gateway, as the conformance suite does to
 * show what an endpoint does with a repeat or a forged envelope the gateway would never let through: with
 * a certificate of the gateway's identity (the suite playing the gateway), or with the sender's own
 * participant certificate (an adversary, which a conforming endpoint turns away).
 */
final class DirectCaller implements AutoCloseable {
  private final SimParticipant from;
  private final SimParticipant to;
  private final ManagedChannel channel;
  private final Sealer sealer = Sealer.create();

  /** Envelopes from {@code from}, over a connection with {@code tls} (the gateway's identity, or {@code from}'s own). */
  DirectCaller(SimParticipant from, SimParticipant to, int port, TlsIdentity tls) throws Exception {
    this.from = from;
    this.to = to;
    this.channel = Grpc.newChannelBuilder("localhost:" + port, MutualTls.toEndpoint(tls, from.gatewayCa(), to.code()))
        .build();
  }

  /** As the suite playing the gateway: the demo's certificate with the gateway's identity. */
  static DirectCaller asGateway(io.hmb.cli.demo.DemoNetwork net, SimParticipant from, SimParticipant to, int port)
      throws Exception {
    return new DirectCaller(from, to, port, TlsIdentity.load(net.keys().resolve(
        io.hmb.cli.demo.DemoSetup.CONFORMANCE_GATEWAY), "tls"));
  }

  /** Seals {@code payload} as the gateway would carry it; {@code tamper} flips one bit of the signature. */
  SealedEnvelope exchange(MessageType type, MessageLite payload, String admdvs, String productCode, String key,
      boolean tamper) throws Exception {
    Instant now = Instant.now();
    EnvelopeHeader.Builder h = EnvelopeHeader.newBuilder().setMessageId(UUID.randomUUID().toString())
        .setSender(from.code()).setRecipient(to.code()).setMessageType(type).setAdmdvs(admdvs)
        .setCreateTime(ProtoDates.timestamp(now)).setExpireTime(ProtoDates.timestamp(now.plus(Duration.ofMinutes(5))));
    if (productCode != null) {
      h.setProductCode(productCode);
    }
    if (key != null) {
      h.setIdempotencyKey(key);
    }
    SealedEnvelope envelope = sealer.seal(h.build(), payload, from.signingKey(), to.signingKey().publicKey());
    if (tamper) {
      byte[] signature = envelope.getSignature().toByteArray();
      signature[signature.length / 2] ^= 0x01;
      envelope = envelope.toBuilder().setSignature(ByteString.copyFrom(signature)).build();
    }
    return RecipientServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).exchange(envelope);
  }

  /** Pushes {@code payload} as a store-and-forward delivery would carry it; returns the receipt. */
  io.hmb.api.v1.DeliveryReceipt deliver(MessageType type, MessageLite payload, String admdvs, String productCode,
      String key) throws Exception {
    Instant now = Instant.now();
    EnvelopeHeader.Builder h = EnvelopeHeader.newBuilder().setMessageId(UUID.randomUUID().toString())
        .setSender(from.code()).setRecipient(to.code()).setMessageType(type).setAdmdvs(admdvs).setProductCode(productCode)
        .setIdempotencyKey(key).setContentDigest(ByteString.copyFrom(io.hmb.security.ContentDigest.compute(
            from.signingKey().suite(), key, type, payload.toByteArray())))
        .setCreateTime(ProtoDates.timestamp(now)).setExpireTime(ProtoDates.timestamp(now.plus(Duration.ofHours(1))));
    SealedEnvelope envelope = sealer.seal(h.build(), payload, from.signingKey(), to.signingKey().publicKey());
    return RecipientServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).deliver(
        io.hmb.api.v1.Delivery.newBuilder().setEnvelope(envelope).setMessageId(h.getMessageId()).setAttempt(1).build());
  }

  /** Opens an answer from the endpoint's participant. */
  <T extends MessageLite> T open(SealedEnvelope answer, Parser<T> parser) throws Exception {
    Opener opener = Opener.builder(from.code()).replayGuard(new InMemoryReplayGuard(Clock.systemUTC())).build();
    return opener.open(answer, from.signingKey(), to.signingKey().publicKey(), parser).payload();
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
