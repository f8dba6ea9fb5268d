package io.hmb.client;

import com.google.protobuf.Timestamp;
import io.hmb.api.MessageCatalog;
import io.hmb.api.MessageCatalog.Kind;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.Participant;
import io.hmb.api.v1.Role;
import io.hmb.security.EnvelopeException;
import io.hmb.security.KeyRing;
import io.hmb.security.PublicKeyHandle;
import io.hmb.security.Sealer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Turns an {@link OutboundMessage} into a fresh envelope for one attempt: resolves the recipient (the
 * product's lead insurer when product-addressed) and its sealing key through the directory, fills the
 * header (new message_id and times every time) and seals with this participant's primary key.
 */
final class EnvelopeFactory {
  private final String participant;
  private final KeyRing keys;
  private final Clock clock;
  private final Duration passThroughLifetime;
  private final Duration storeAndForwardLifetime;
  private final DirectoryCache directory;
  private final Sealer sealer = Sealer.create();

  EnvelopeFactory(String participant, KeyRing keys, Clock clock, Duration passThroughLifetime,
      Duration storeAndForwardLifetime, DirectoryCache directory) {
    this.participant = participant;
    this.keys = keys;
    this.clock = clock;
    this.passThroughLifetime = passThroughLifetime;
    this.storeAndForwardLifetime = storeAndForwardLifetime;
    this.directory = directory;
  }

  /** The participant code this message goes to. */
  String recipientOf(OutboundMessage m) {
    return m.recipient().orElseGet(() -> directory.leadInsurer(m.leadOfProduct().orElseThrow()));
  }

  Sealed seal(OutboundMessage m) {
    String recipient = recipientOf(m);
    Instant now = clock.instant();
    Duration lifetime = MessageCatalog.is(m.type(), Kind.STORE_AND_FORWARD) ? storeAndForwardLifetime : passThroughLifetime;
    EnvelopeHeader.Builder h = EnvelopeHeader.newBuilder()
        .setMessageId(UUID.randomUUID().toString())
        .setSender(participant)
        .setRecipient(recipient)
        .setMessageType(m.type())
        .setAdmdvs(admdvsOf(m, recipient))
        .setCreateTime(timestamp(now))
        .setExpireTime(timestamp(now.plus(lifetime)));
    m.productCode().ifPresent(h::setProductCode);
    m.idempotencyKey().ifPresent(h::setIdempotencyKey);
    return seal(h.build(), m.payload(), directory.sealingKey(recipient));
  }

  /** Seals an answer or any complete caller header for a known key (used by the receiving side too). */
  Sealed seal(EnvelopeHeader header, com.google.protobuf.MessageLite payload, PublicKeyHandle recipientKey) {
    try {
      var envelope = sealer.seal(header, payload, keys, recipientKey);
      return new Sealed(envelope, EnvelopeHeader.parseFrom(envelope.getHeader()));
    } catch (EnvelopeException e) {
      throw GatewayException.fromEnvelope(e, GatewayException.Origin.SEALING);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException("the sealer produced an unreadable header", e);
    }
  }

  /** header.admdvs: explicit, else the product's city, else the city of the side that is not an insurer. */
  private String admdvsOf(OutboundMessage m, String recipient) {
    if (m.admdvs().isPresent()) {
      return m.admdvs().get();
    }
    if (m.leadOfProduct().isPresent()) {
      return directory.product(m.leadOfProduct().get()).getAdmdvs();
    }
    Participant to = directory.participant(recipient);
    return to.getRole() != Role.ROLE_INSURER ? to.getAdmdvs() : directory.participant(participant).getAdmdvs();
  }

  static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  static EnvelopeHeader.Builder answerHeader(String self, EnvelopeHeader request, MessageType answerType,
      Instant now, Duration lifetime) {
    EnvelopeHeader.Builder h = EnvelopeHeader.newBuilder()
        .setMessageId(UUID.randomUUID().toString())
        .setCorrelationId(request.getMessageId())
        .setSender(self)
        .setRecipient(request.getSender())
        .setMessageType(answerType)
        .setAdmdvs(request.getAdmdvs())
        .setCreateTime(timestamp(now))
        .setExpireTime(timestamp(now.plus(lifetime)))
        .setProductCode(request.getProductCode());
    // Echo the operation's key: the asker can then recognise this answer when the gateway replays it
    // to a later attempt of the same operation (whose message_id differs from correlation_id).
    if (!request.getIdempotencyKey().isEmpty()) {
      h.setIdempotencyKey(request.getIdempotencyKey());
    }
    return h;
  }
}
