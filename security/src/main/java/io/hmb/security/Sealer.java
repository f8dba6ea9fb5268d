package io.hmb.security;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import io.hmb.api.v1.CipherSuite;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.SealedEnvelope;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * Signs and encrypts a payload for one recipient, in one step: there is no encrypt-only or sign-only
 * path. Thread-safe; create one and share it.
 *
 * <p>The caller fills the header's message_id, correlation_id, idempotency_key, sender, recipient,
 * message_type, admdvs, create_time, expire_time and product_code. The sealer itself fills
 * sender_key_id, recipient_key_id, cipher_suite, schema_version, a fresh 16-byte nonce and, when
 * idempotency_key is set, content_digest ({@link ContentDigest}); a caller
 * that sets one of these to another value gets an IllegalArgumentException (a nonce must never be
 * chosen by the caller).
 *
 * <p><b>Guarantees.</b> The envelope is in the format of docs/envelope.md and passes the field and
 * lifetime checks every verifier applies. The payload is readable only with the recipient's private
 * key; the header, wrapped key and ciphertext are bound together by the sender's signature, and the
 * header is also bound to the ciphertext as AEAD associated data. Each envelope uses a fresh content
 * key, IV and nonce from a SecureRandom.
 *
 * <p><b>Does not guarantee.</b> The header is not encrypted: the gateway and anyone on the path read
 * it, so never put personal data in it. Sealing does not check that the recipient key belongs to
 * header.recipient, that the sender key belongs to header.sender, or that the clock is right;
 * resolve keys from the directory. The payload's length is visible (no padding).
 */
public final class Sealer {
  private final EnvelopePolicy policy;
  private final ThreadLocal<SecureRandom> randoms;
  private final SecureRandom testRandom;

  private Sealer(EnvelopePolicy policy, SecureRandom testRandom) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.testRandom = testRandom;
    this.randoms = ThreadLocal.withInitial(SecureRandom::new);
  }

  public static Sealer create() {
    return new Sealer(EnvelopePolicy.defaults(), null);
  }

  public static Sealer create(EnvelopePolicy policy) {
    return new Sealer(policy, null);
  }

  /**
   * Test hook for published test vectors: every random byte (nonce, content key or ephemeral key,
   * IV, SM2 encryption and signature nonces) is drawn from {@code random}. Package-private on
   * purpose; never use it for real traffic.
   */
  static Sealer withFixedRandomnessForTestVectors(EnvelopePolicy policy, SecureRandom random) {
    return new Sealer(policy, Objects.requireNonNull(random));
  }

  /** Seals with {@code senderKey} for {@code recipientKey}; both keys must be of the same suite. */
  public SealedEnvelope seal(EnvelopeHeader header, MessageLite payload, PrivateKeyHandle senderKey,
      PublicKeyHandle recipientKey) throws EnvelopeException {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(senderKey, "senderKey");
    Objects.requireNonNull(recipientKey, "recipientKey");
    Suite suite = senderKey.suiteImpl();
    if (recipientKey.suiteImpl() != suite) {
      throw new IllegalArgumentException("sender key is " + senderKey.suite() + " but recipient key is "
          + recipientKey.suite() + ": seal with keys of one suite");
    }
    rejectSealerOwnedFields(header, senderKey, recipientKey, suite.id());
    SecureRandom random = testRandom != null ? testRandom : randoms.get();

    byte[] plaintext = payload.toByteArray();
    if (plaintext.length > policy.maxEnvelopeBytes()) {
      throw EnvelopeException.tooLarge(policy.maxEnvelopeBytes());
    }
    EnvelopeHeader.Builder b = header.toBuilder();
    if (!header.getIdempotencyKey().isEmpty()) {
      byte[] digest = ContentDigest.compute(suite.id(), header.getIdempotencyKey(), header.getMessageType(), plaintext);
      if (!header.getContentDigest().isEmpty() && !ContentDigest.matches(digest, header.getContentDigest().toByteArray())) {
        throw new IllegalArgumentException("header.content_digest does not match the payload; leave it unset");
      }
      b.setContentDigest(ByteString.copyFrom(digest));
    }
    byte[] nonce = new byte[HeaderRules.NONCE_BYTES];
    random.nextBytes(nonce);
    EnvelopeHeader filled = b
        .setNonce(ByteString.copyFrom(nonce))
        .setSenderKeyId(senderKey.keyId())
        .setRecipientKeyId(recipientKey.keyId())
        .setCipherSuite(suite.id())
        .setSchemaVersion(EnvelopePolicy.SCHEMA_VERSION)
        .build();
    HeaderRules.checkFields(filled);
    HeaderRules.checkLifetime(filled, policy);
    return sealFilled(filled, plaintext, senderKey, recipientKey, random);
  }

  /** The cryptographic part of sealing, for a header that is complete and checked. */
  SealedEnvelope sealFilled(EnvelopeHeader filled, byte[] plaintext, PrivateKeyHandle senderKey,
      PublicKeyHandle recipientKey, SecureRandom random) throws EnvelopeException {
    Suite suite = senderKey.suiteImpl();
    byte[] headerBytes = filled.toByteArray();
    byte[][] wrapped = suite.wrap(recipientKey, headerBytes, random);
    byte[] contentKey = wrapped[1];
    byte[] iv = new byte[Suite.IV_BYTES];
    random.nextBytes(iv);
    byte[] ciphertext = suite.encrypt(contentKey, iv, headerBytes, plaintext);
    Arrays.fill(contentKey, (byte) 0);
    byte[] signature = senderKey.sign(headerBytes, wrapped[0], ciphertext, testRandom);

    SealedEnvelope env = SealedEnvelope.newBuilder()
        .setHeader(ByteString.copyFrom(headerBytes))
        .setWrappedKey(ByteString.copyFrom(wrapped[0]))
        .setCiphertext(ByteString.copyFrom(ciphertext))
        .setSignature(ByteString.copyFrom(signature))
        .build();
    if (env.getSerializedSize() > policy.maxEnvelopeBytes()) {
      throw EnvelopeException.tooLarge(policy.maxEnvelopeBytes());
    }
    return env;
  }

  /**
   * Seals with the ring's primary key. KEY_REVOKED if the primary is not valid at the header's
   * create_time (the gateway would refuse it).
   */
  public SealedEnvelope seal(EnvelopeHeader header, MessageLite payload, KeyRing senderKeys,
      PublicKeyHandle recipientKey) throws EnvelopeException {
    KeyRing.Entry primary = senderKeys.primaryEntry();
    if (!header.hasCreateTime()) {
      throw EnvelopeException.missing("create_time");
    }
    if (!primary.usableAt(HeaderRules.instant(header.getCreateTime()))) {
      throw EnvelopeException.of(EnvelopeException.Reason.KEY_REVOKED);
    }
    return seal(header, payload, senderKeys.primary(), recipientKey);
  }

  private static void rejectSealerOwnedFields(EnvelopeHeader h, PrivateKeyHandle sender,
      PublicKeyHandle recipient, CipherSuite suite) {
    String wrong = null;
    if (!h.getNonce().isEmpty()) {
      wrong = "nonce";
    } else if (!h.getSenderKeyId().isEmpty() && !h.getSenderKeyId().equals(sender.keyId())) {
      wrong = "sender_key_id";
    } else if (!h.getRecipientKeyId().isEmpty() && !h.getRecipientKeyId().equals(recipient.keyId())) {
      wrong = "recipient_key_id";
    } else if (h.getCipherSuiteValue() != 0 && h.getCipherSuite() != suite) {
      wrong = "cipher_suite";
    } else if (h.getSchemaVersion() != 0 && h.getSchemaVersion() != EnvelopePolicy.SCHEMA_VERSION) {
      wrong = "schema_version";
    } else if (!h.getContentDigest().isEmpty() && h.getIdempotencyKey().isEmpty()) {
      wrong = "content_digest"; // only defined with an idempotency key, which salts it
    }
    if (wrong != null) {
      throw new IllegalArgumentException("header." + wrong + " is set by the Sealer; leave it unset");
    }
  }

  @Override
  public String toString() {
    return "Sealer{" + policy + "}";
  }
}
