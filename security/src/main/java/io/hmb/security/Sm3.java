package io.hmb.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.bouncycastle.crypto.digests.SM3Digest;

/**
 * SM3 (GB/T 32905-2016) for code outside this module that records digests: the gateway's ciphertext
 * digests and its audit hash chain. Callers get bytes in and 32 bytes out; the BouncyCastle digest
 * never leaves this class.
 *
 * <p><b>Guarantees.</b> {@link #hash} is plain SM3. A {@link FieldHasher} hashes a sequence of fields
 * so that no two different sequences hash the same input: every variable-length field is preceded by
 * its length (4 bytes, big-endian), and the only unprefixed input, {@link FieldHasher#fixed}, must have
 * the length the caller declares. A hasher gives one digest; using it again is an error, not a silent
 * hash of more input.
 *
 * <p><b>Does not guarantee</b> secrecy or authenticity: an SM3 digest is not keyed, so anyone who can
 * guess the input can recompute it. It detects change, it does not prove who made the input.
 */
public final class Sm3 {
  /** Every SM3 digest is 32 bytes. */
  public static final int DIGEST_LENGTH = 32;

  private Sm3() {}

  /** SM3 of {@code data}. */
  public static byte[] hash(byte[] data) {
    return newHasher().raw(data).digest();
  }

  /** A hasher for one length-prefixed field sequence. */
  public static FieldHasher newHasher() {
    return new FieldHasher();
  }

  /**
   * Hashes fields in the order they are added. Encodings: {@link #field(byte[])} is length (4 bytes,
   * big-endian) then the bytes; {@link #field(String)} is the same over UTF-8; {@link #field(long)} is
   * the same over the 8-byte big-endian value (so length 8, then the value); {@link #fixed} is the
   * bytes alone, checked against the declared length. Not thread-safe; one digest per hasher.
   */
  public static final class FieldHasher {
    private final SM3Digest digest = new SM3Digest();
    private boolean finished;

    private FieldHasher() {}

    /**
     * Bytes of a length fixed by the format (a previous hash in a chain), without a prefix.
     *
     * @throws IllegalArgumentException if {@code value} is not {@code length} bytes long
     */
    public FieldHasher fixed(byte[] value, int length) {
      Objects.requireNonNull(value, "value");
      if (value.length != length) {
        throw new IllegalArgumentException("a fixed field of " + length + " bytes was given " + value.length);
      }
      return raw(value);
    }

    /** A variable-length field: its length, then its bytes. Null is refused: say what absent means. */
    public FieldHasher field(byte[] value) {
      Objects.requireNonNull(value, "value (pass an empty array for an absent field)");
      raw(ByteBuffer.allocate(4).putInt(value.length).array());
      return raw(value);
    }

    /** A text field, as UTF-8. */
    public FieldHasher field(String value) {
      Objects.requireNonNull(value, "value (pass \"\" for an absent field)");
      return field(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A number, as a field of 8 bytes, big-endian. */
    public FieldHasher field(long value) {
      return field(ByteBuffer.allocate(8).putLong(value).array());
    }

    /** The 32-byte digest. The hasher cannot be used afterwards. */
    public byte[] digest() {
      checkOpen();
      finished = true;
      byte[] out = new byte[DIGEST_LENGTH];
      digest.doFinal(out, 0);
      return out;
    }

    private FieldHasher raw(byte[] bytes) {
      checkOpen();
      digest.update(bytes, 0, bytes.length);
      return this;
    }

    private void checkOpen() {
      if (finished) {
        throw new IllegalStateException("this SM3 hasher already gave its digest; take a new one");
      }
    }

    @Override
    public String toString() {
      return "Sm3.FieldHasher{" + (finished ? "finished" : "open") + "}";
    }
  }
}
