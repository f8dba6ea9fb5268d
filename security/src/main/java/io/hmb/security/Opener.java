package io.hmb.security;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.security.EnvelopeException.Reason;
import io.hmb.security.replay.ReplayGuard;
import java.time.Clock;
import java.util.Arrays;
import java.util.Objects;

/**
 * Recipient side: verifies an envelope addressed to this participant, then decrypts and parses its
 * payload. Thread-safe; build one per local participant and share it.
 *
 * <p>Steps, in order (docs/envelope.md "Check order"): everything {@link EnvelopeVerifier} checks up
 * to and including the signature; then header.recipient must be this participant
 * (WRONG_RECIPIENT); then the private key named by header.recipient_key_id must be one we hold and
 * ENABLED (otherwise DECRYPTION_FAILED); then the replay guard; then unwrap the content key and
 * decrypt (DECRYPTION_FAILED); then, if present, the header's content_digest must match the
 * plaintext (INVALID_HEADER_FIELD "content_digest"); then parse the payload (PAYLOAD_INVALID).
 *
 * <p><b>Guarantees.</b> A payload is returned only if the signature verified before any decryption
 * was attempted, the AEAD tag verified with the exact header bytes as associated data, and the
 * payload parsed. No partially decrypted bytes are ever returned.
 *
 * <p><b>Does not guarantee.</b> That the payload's type matches header.message_type beyond parsing
 * with the parser you pass (check {@code header().messageType()}); business validity of the payload;
 * that the sender was authorised to send it (the gateway's matrix). When you pass the sender's
 * {@link PublicKeyHandle} directly, only its key id is matched against the header: you vouch that
 * it is header.sender's key.
 */
public final class Opener {
  private final String localParticipant;
  private final Clock clock;
  private final EnvelopePolicy policy;
  private final ReplayGuard replayGuard;

  private Opener(Builder b) {
    this.localParticipant = b.localParticipant;
    this.clock = b.clock;
    this.policy = b.policy;
    this.replayGuard = b.replayGuard;
  }

  /** @param localParticipant this participant's code, e.g. "BUREAU-210200" */
  public static Builder builder(String localParticipant) {
    return new Builder(localParticipant);
  }

  /** Opens with one recipient private key and the sender's public key. */
  public <T extends MessageLite> OpenedMessage<T> open(SealedEnvelope envelope, PrivateKeyHandle recipientKey,
      PublicKeyHandle senderKey, Parser<T> payloadParser) throws EnvelopeException {
    Objects.requireNonNull(recipientKey, "recipientKey");
    Objects.requireNonNull(senderKey, "senderKey");
    Checks.Parsed p = Checks.parse(envelope, policy);
    Checks.times(p, clock.instant(), policy);
    Checks.signature(p, senderKey);
    PrivateKeyHandle key = recipientKey.keyId().equals(p.header().getRecipientKeyId()) ? recipientKey : null;
    return finish(p, key, payloadParser);
  }

  /**
   * Opens with this participant's key ring (any ENABLED key, so both keys work during a rotation
   * overlap) and a resolver for senders' public keys.
   */
  public <T extends MessageLite> OpenedMessage<T> open(SealedEnvelope envelope, KeyRing recipientKeys,
      PublicKeyResolver senders, Parser<T> payloadParser) throws EnvelopeException {
    Objects.requireNonNull(recipientKeys, "recipientKeys");
    Objects.requireNonNull(senders, "senders");
    Checks.Parsed p = Checks.parse(envelope, policy);
    Checks.times(p, clock.instant(), policy);
    Checks.signature(p, senders.resolve(p.header().getSender(), p.header().getSenderKeyId(),
        HeaderRules.instant(p.header().getCreateTime())));
    PrivateKeyHandle key = recipientKeys.enabledKey(p.header().getRecipientKeyId()).orElse(null);
    return finish(p, key, payloadParser);
  }

  private <T extends MessageLite> OpenedMessage<T> finish(Checks.Parsed p, PrivateKeyHandle key,
      Parser<T> payloadParser) throws EnvelopeException {
    Objects.requireNonNull(payloadParser, "payloadParser");
    if (!localParticipant.equals(p.header().getRecipient())) {
      throw EnvelopeException.of(Reason.WRONG_RECIPIENT);
    }
    if (key == null || key.suiteImpl() != p.suite()) {
      throw EnvelopeException.of(Reason.DECRYPTION_FAILED);
    }
    Checks.replay(p, replayGuard);
    byte[] contentKey = p.suite().unwrap(key, p.wrappedKey(), p.header_());
    byte[] plaintext;
    try {
      plaintext = p.suite().decrypt(contentKey, p.header_(), p.ciphertext());
    } finally {
      Arrays.fill(contentKey, (byte) 0);
    }
    if (!p.header().getContentDigest().isEmpty() && !ContentDigest.matches(
        ContentDigest.compute(p.suite().id(), p.header().getIdempotencyKey(), p.header().getMessageType(), plaintext),
        p.header().getContentDigest().toByteArray())) {
      throw EnvelopeException.invalid("content_digest");
    }
    T payload;
    try {
      payload = payloadParser.parseFrom(plaintext);
    } catch (InvalidProtocolBufferException e) {
      throw EnvelopeException.of(Reason.PAYLOAD_INVALID);
    }
    return new OpenedMessage<>(new VerifiedHeader(p.header(), p.headerBytes()), payload);
  }

  @Override
  public String toString() {
    return "Opener{localParticipant=" + localParticipant + ", " + policy + "}";
  }

  /** Builder. {@link #replayGuard(ReplayGuard)} must be called: choosing no replay check is explicit. */
  public static final class Builder {
    private final String localParticipant;
    private Clock clock = Clock.systemUTC();
    private EnvelopePolicy policy = EnvelopePolicy.defaults();
    private ReplayGuard replayGuard;

    private Builder(String localParticipant) {
      if (localParticipant == null || !HeaderRules.CODE.matcher(localParticipant).matches()) {
        throw new IllegalArgumentException("localParticipant must be a participant code");
      }
      this.localParticipant = localParticipant;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Builder policy(EnvelopePolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    public Builder replayGuard(ReplayGuard replayGuard) {
      this.replayGuard = Objects.requireNonNull(replayGuard, "replayGuard");
      return this;
    }

    public Opener build() {
      if (replayGuard == null) {
        throw new IllegalStateException("replayGuard is required: pass an InMemoryReplayGuard, "
            + "or ReplayGuard.deferredToCaller() if you check replay yourself");
      }
      return new Opener(this);
    }
  }
}
