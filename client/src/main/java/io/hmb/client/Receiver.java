package io.hmb.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.grpc.StatusRuntimeException;
import io.hmb.api.Errors;
import io.hmb.api.MessageCatalog;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.security.EnvelopeException;
import io.hmb.security.KeyRing;
import io.hmb.security.OpenedMessage;
import io.hmb.security.Opener;
import io.hmb.security.PublicKeyHandle;
import io.hmb.security.PublicKeyResolver;
import io.hmb.security.Sealer;
import io.hmb.security.replay.InMemoryReplayGuard;
import io.hmb.security.replay.ReplayGuard;
import java.time.Clock;
import java.time.Duration;

/**
 * The receiving side's cryptography: opens requests and deliveries addressed to this participant and
 * seals answers back to the asker. Failures become hmb.v1 statuses with dull messages.
 *
 * <p>Pass-through requests go through an {@link InMemoryReplayGuard}. Deliveries do not: a delivery the
 * handler failed on comes again with the same message_id and nonce, and must open again; repeats are
 * dropped by message_id after processing instead ({@link RecentIds}), and the gateway checked replay at
 * intake.
 */
final class Receiver {
  static final int REPLAY_CAPACITY = 100_000;

  private final String participant;
  private final KeyRing keys;
  private final PublicKeyResolver senders;
  private final Clock clock;
  private final Duration answerLifetime;
  private final Opener requests;
  private final Opener deliveries;
  private final Sealer sealer = Sealer.create();

  Receiver(String participant, KeyRing keys, PublicKeyResolver senders, Clock clock, Duration answerLifetime) {
    this.participant = participant;
    this.keys = keys;
    this.senders = senders;
    this.clock = clock;
    this.answerLifetime = answerLifetime;
    this.requests = Opener.builder(participant).clock(clock)
        .replayGuard(new InMemoryReplayGuard(clock, REPLAY_CAPACITY)).build();
    this.deliveries = Opener.builder(participant).clock(clock).replayGuard(ReplayGuard.deferredToCaller()).build();
  }

  String participant() {
    return participant;
  }

  /** The header's message type, read before any check, only to choose the parser. */
  static MessageType peekType(SealedEnvelope envelope) {
    try {
      return EnvelopeHeader.parseFrom(envelope.getHeader()).getMessageType();
    } catch (InvalidProtocolBufferException e) {
      throw Errors.of(ErrorReason.MALFORMED_ENVELOPE, "the header is not a serialized hmb.v1.EnvelopeHeader");
    }
  }

  @SuppressWarnings("unchecked")
  OpenedMessage<MessageLite> openRequest(SealedEnvelope envelope, MessageType type) {
    return open(requests, envelope, (Parser<MessageLite>) MessageCatalog.entry(type).parser());
  }

  @SuppressWarnings("unchecked")
  OpenedMessage<MessageLite> openDelivery(SealedEnvelope envelope, MessageType type) {
    return open(deliveries, envelope, (Parser<MessageLite>) MessageCatalog.entry(type).parser());
  }

  private OpenedMessage<MessageLite> open(Opener opener, SealedEnvelope envelope, Parser<MessageLite> parser) {
    try {
      return opener.open(envelope, keys, senders, parser);
    } catch (EnvelopeException e) {
      throw Errors.of(e.errorReason(), "the recipient refused the envelope: " + e.getMessage(), e.metadata());
    } catch (GatewayException directory) {
      throw Errors.retryAfter(ErrorReason.RECIPIENT_UNAVAILABLE,
          "the recipient could not look up the sender's key; retry", Duration.ofSeconds(1));
    }
  }

  /**
   * The signed acknowledgement of a delivery this participant processed (or had processed before, a repeat),
   * sealed for the key its sender signed it with ({@code Acknowledgements}). Only the header is read: the
   * delivery was opened and verified when it was processed.
   */
  SealedEnvelope sealAcknowledgement(io.hmb.api.v1.Delivery delivery) {
    EnvelopeHeader delivered;
    try {
      delivered = EnvelopeHeader.parseFrom(delivery.getEnvelope().getHeader());
    } catch (InvalidProtocolBufferException e) {
      throw Errors.of(ErrorReason.MALFORMED_ENVELOPE, "the header is not a serialized hmb.v1.EnvelopeHeader");
    }
    if (!delivered.getMessageId().equals(delivery.getMessageId()) || !delivered.getRecipient().equals(participant)) {
      throw Errors.of(ErrorReason.MALFORMED_ENVELOPE, "the delivery is not a message " + participant + " processed");
    }
    try {
      PublicKeyHandle senderKey = senders.resolve(delivered.getSender(), delivered.getSenderKeyId(),
          java.time.Instant.ofEpochSecond(delivered.getCreateTime().getSeconds(), delivered.getCreateTime().getNanos()));
      return io.hmb.security.Acknowledgements.seal(sealer, delivered, keys, senderKey, clock.instant());
    } catch (EnvelopeException e) {
      throw Errors.of(e.errorReason(), "the recipient could not seal its acknowledgement: " + e.reason(), e.metadata());
    } catch (StatusRuntimeException e) {
      throw e;
    } catch (RuntimeException e) {
      throw Errors.retryAfter(ErrorReason.RECIPIENT_UNAVAILABLE, "the recipient could not seal its acknowledgement; "
          + "retry", Duration.ofSeconds(1));
    }
  }

  /** Seals the answer to an opened request for the key the asker signed it with. */
  SealedEnvelope sealAnswer(OpenedMessage<?> request, MessageLite answer) {
    EnvelopeHeader asked = request.header().header();
    MessageType answerType = MessageCatalog.answerTo(asked.getMessageType());
    try {
      PublicKeyHandle askerKey = senders.resolve(asked.getSender(), asked.getSenderKeyId(),
          request.header().createTime());
      return sealer.seal(EnvelopeFactory.answerHeader(participant, asked, answerType, clock.instant(), answerLifetime)
          .build(), answer, keys, askerKey);
    } catch (EnvelopeException e) {
      throw Errors.of(e.errorReason(), "the recipient could not seal its answer: " + e.reason(), e.metadata());
    } catch (StatusRuntimeException e) {
      throw e;
    } catch (RuntimeException e) {
      throw Errors.retryAfter(ErrorReason.RECIPIENT_UNAVAILABLE, "the recipient could not seal its answer; retry",
          Duration.ofSeconds(1));
    }
  }
}
