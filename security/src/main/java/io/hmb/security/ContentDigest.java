package io.hmb.security;

import io.hmb.api.v1.CipherSuite;
import io.hmb.api.v1.MessageType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SM3Digest;

/**
 * The header's content_digest: lets the gateway tell a retry of an operation (same idempotency key,
 * same payload, sealed anew) from a different operation reusing the key, without reading the payload.
 *
 * <p>digest = H("HMB-CONTENT-V1" || 0x00 || idempotency_key (UTF-8) || 0x00 || message_type (4 bytes,
 * big-endian) || serialized payload), H = SM3 for the GM suite, SHA-256 for the NIST suite.
 *
 * <p><b>Does not hide</b> the payload from someone who can guess it entirely and knows the idempotency
 * key (the key salts the digest per operation, so precomputed dictionaries do not work across
 * operations). Payloads carry identity numbers together with amounts, dates and ids, which makes a
 * full guess impractical; a deployment that needs more can have senders put a random operation id
 * in the payload.
 */
public final class ContentDigest {
  private static final byte[] LABEL = "HMB-CONTENT-V1".getBytes(StandardCharsets.US_ASCII);

  private ContentDigest() {}

  public static byte[] compute(CipherSuite suite, String idempotencyKey, MessageType type, byte[] payload) {
    Digest digest = suite == CipherSuite.CIPHER_SUITE_P256_AES256_GCM_SHA256 ? new SHA256Digest() : new SM3Digest();
    byte[] key = idempotencyKey.getBytes(StandardCharsets.UTF_8);
    digest.update(LABEL, 0, LABEL.length);
    digest.update((byte) 0);
    digest.update(key, 0, key.length);
    digest.update((byte) 0);
    byte[] typeBytes = ByteBuffer.allocate(4).putInt(type.getNumber()).array();
    digest.update(typeBytes, 0, typeBytes.length);
    digest.update(payload, 0, payload.length);
    byte[] out = new byte[digest.getDigestSize()];
    digest.doFinal(out, 0);
    return out;
  }

  /** Constant-time comparison of a header's digest with the one recomputed from the opened payload. */
  public static boolean matches(byte[] expected, byte[] actual) {
    return MessageDigest.isEqual(expected, actual);
  }
}
