package io.hmb.security;

import com.google.protobuf.Timestamp;
import io.hmb.api.v1.AcknowledgementReceipt;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.SealedEnvelope;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The recipient's signed acknowledgement of a pushed delivery (docs/envelope.md section 13): an envelope of
 * {@link MessageType#MESSAGE_TYPE_ACKNOWLEDGEMENT_RECEIPT} from the recipient to the delivered message's
 * sender, {@code correlation_id} = the delivered message id, the delivered admdvs and product code, and an
 * {@link AcknowledgementReceipt} sealed for the sender's key. The gateway cannot read the payload; it
 * verifies the signature (a live key of the recipient) and the header, which names the same message.
 *
 * <p><b>Guarantees.</b> {@link #check} passes only for an envelope whose signature verifies with a key the
 * resolver holds for {@code recipient}, that is fresh, of this type, from {@code recipient} to {@code sender},
 * about {@code messageId}. So an endpoint that is not the recipient cannot make the gateway mark a message
 * acknowledged, even if it got between the gateway and the recipient. <b>Does not guarantee</b> that the
 * recipient processed the message well; only that it signed that it did.
 */
public final class Acknowledgements {
  /** Lifetime of an acknowledgement: the gateway reads it at once. */
  public static final Duration LIFETIME = Duration.ofMinutes(10);

  private Acknowledgements() {}

  /**
   * Seals the acknowledgement of {@code delivered} (a header the recipient opened or saw before) with the
   * recipient's primary key, for {@code senderKey}, the delivered message's sender's key.
   */
  public static SealedEnvelope seal(Sealer sealer, EnvelopeHeader delivered, KeyRing recipientKeys,
      PublicKeyHandle senderKey, Instant now) throws EnvelopeException {
    Objects.requireNonNull(delivered, "delivered");
    EnvelopeHeader.Builder h = EnvelopeHeader.newBuilder()
        .setMessageId(UUID.randomUUID().toString())
        .setCorrelationId(delivered.getMessageId())
        .setSender(delivered.getRecipient())
        .setRecipient(delivered.getSender())
        .setMessageType(MessageType.MESSAGE_TYPE_ACKNOWLEDGEMENT_RECEIPT)
        .setAdmdvs(delivered.getAdmdvs())
        .setCreateTime(timestamp(now))
        .setExpireTime(timestamp(now.plus(LIFETIME)));
    if (!delivered.getProductCode().isEmpty()) {
      h.setProductCode(delivered.getProductCode());
    }
    AcknowledgementReceipt receipt = AcknowledgementReceipt.newBuilder().setMessageId(delivered.getMessageId())
        .setProcessedTime(timestamp(now)).build();
    return sealer.seal(h.build(), receipt, recipientKeys, senderKey);
  }

  /** Why an acknowledgement was not accepted; a dull message, safe for a log line and the message's last_error. */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String why) {
      super(why);
    }
  }

  /**
   * Checks the acknowledgement of the message {@code messageId} that {@code sender} sent {@code recipient}.
   *
   * @param verifier verifies signatures against the participants' live keys (the gateway's, replay checks
   *     deferred: a repeated acknowledgement of the same message says nothing new)
   */
  public static void check(EnvelopeVerifier verifier, SealedEnvelope acknowledgement, String messageId, String sender,
      String recipient) throws Refused {
    if (acknowledgement == null || acknowledgement.getSerializedSize() == 0) {
      throw new Refused("the receipt carries no signed acknowledgement");
    }
    VerifiedHeader h;
    try {
      h = verifier.verify(acknowledgement);
    } catch (EnvelopeException e) {
      throw new Refused("the acknowledgement does not verify: " + e.reason());
    }
    if (h.messageType() != MessageType.MESSAGE_TYPE_ACKNOWLEDGEMENT_RECEIPT) {
      throw new Refused("the acknowledgement is not of type MESSAGE_TYPE_ACKNOWLEDGEMENT_RECEIPT");
    }
    if (!h.sender().equals(recipient)) {
      throw new Refused("the acknowledgement is signed by another participant than the recipient");
    }
    if (!h.recipient().equals(sender)) {
      throw new Refused("the acknowledgement is not addressed to the message's sender");
    }
    if (!h.correlationId().equals(messageId)) {
      throw new Refused("the acknowledgement names another message");
    }
  }

  private static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }
}
