package io.hmb.security;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.security.EnvelopeException.Reason;
import io.hmb.security.replay.ReplayGuard;
import java.time.Instant;

/** The check steps shared by {@link EnvelopeVerifier} and {@link Opener}, in spec order. */
final class Checks {
  private Checks() {}

  /** An envelope whose header parsed and passed the field checks; signature not yet checked. */
  record Parsed(EnvelopeHeader header, ByteString headerBytes, byte[] header_, byte[] wrappedKey,
      byte[] ciphertext, byte[] signature, Suite suite) {}

  /** Steps 1-4: size, structure, header parse, version/suite/fields. */
  static Parsed parse(SealedEnvelope env, EnvelopePolicy policy) throws EnvelopeException {
    if (env == null) {
      throw EnvelopeException.of(Reason.MALFORMED_ENVELOPE);
    }
    if (env.getSerializedSize() > policy.maxEnvelopeBytes()) {
      throw EnvelopeException.tooLarge(policy.maxEnvelopeBytes());
    }
    if (env.getHeader().isEmpty() || env.getWrappedKey().isEmpty() || env.getSignature().isEmpty()
        || env.getCiphertext().size() < Suite.IV_BYTES + Suite.TAG_BYTES) {
      throw EnvelopeException.of(Reason.MALFORMED_ENVELOPE);
    }
    EnvelopeHeader header;
    try {
      header = EnvelopeHeader.parseFrom(env.getHeader());
    } catch (InvalidProtocolBufferException e) {
      throw EnvelopeException.of(Reason.MALFORMED_ENVELOPE);
    }
    HeaderRules.checkFields(header);
    return new Parsed(header, env.getHeader(), env.getHeader().toByteArray(),
        env.getWrappedKey().toByteArray(), env.getCiphertext().toByteArray(),
        env.getSignature().toByteArray(), Suite.of(header.getCipherSuite()));
  }

  /** Step 5: lifetime, EXPIRED, NOT_YET_VALID. */
  static void times(Parsed p, Instant now, EnvelopePolicy policy) throws EnvelopeException {
    HeaderRules.checkTimes(p.header(), now, policy);
  }

  /** Step 7: the key must be the one named in the header, of the header's suite; then verify. */
  static void signature(Parsed p, PublicKeyHandle senderKey) throws EnvelopeException {
    if (senderKey == null || !senderKey.keyId().equals(p.header().getSenderKeyId())
        || senderKey.suiteImpl() != p.suite()) {
      throw EnvelopeException.of(Reason.KEY_UNKNOWN);
    }
    if (!senderKey.verify(p.header_(), p.wrappedKey(), p.ciphertext(), p.signature())) {
      throw EnvelopeException.of(Reason.SIGNATURE_INVALID);
    }
  }

  /** Replay step, after the signature. */
  static void replay(Parsed p, ReplayGuard guard) throws EnvelopeException {
    EnvelopeHeader h = p.header();
    switch (guard.checkAndRecord(h.getSender(), h.getMessageId(), h.getNonce().toByteArray(),
        HeaderRules.instant(h.getExpireTime()))) {
      case FIRST_SEEN:
        return;
      case REPLAYED:
        throw EnvelopeException.replayed(h.getMessageId(), h.getSender());
      default:
        throw EnvelopeException.of(Reason.RATE_LIMITED);
    }
  }
}
