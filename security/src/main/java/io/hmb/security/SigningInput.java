package io.hmb.security;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.Signer;

/**
 * The bytes an envelope signature covers: {@code LABEL || len(header) || header || len(wrapped_key)
 * || wrapped_key || len(ciphertext) || ciphertext}, each length a 4-byte big-endian unsigned integer.
 * The label separates envelope signatures from every other use of the same key.
 */
final class SigningInput {
  /** ASCII "HMB-ENVELOPE-V1" followed by one zero byte: 16 bytes. */
  static final byte[] LABEL = "HMB-ENVELOPE-V1\0".getBytes(StandardCharsets.US_ASCII);

  private SigningInput() {}

  static void feed(Signer signer, byte[] header, byte[] wrappedKey, byte[] ciphertext) {
    signer.update(LABEL, 0, LABEL.length);
    part(signer, header);
    part(signer, wrappedKey);
    part(signer, ciphertext);
  }

  /** The signing input as one array (for test vectors and documentation). */
  static byte[] bytes(byte[] header, byte[] wrappedKey, byte[] ciphertext) {
    byte[] out = new byte[LABEL.length + 12 + header.length + wrappedKey.length + ciphertext.length];
    int o = 0;
    System.arraycopy(LABEL, 0, out, o, LABEL.length);
    o += LABEL.length;
    for (byte[] p : new byte[][] {header, wrappedKey, ciphertext}) {
      writeLength(out, o, p.length);
      o += 4;
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }

  private static void part(Signer signer, byte[] p) {
    byte[] len = new byte[4];
    writeLength(len, 0, p.length);
    signer.update(len, 0, 4);
    signer.update(p, 0, p.length);
  }

  private static void writeLength(byte[] out, int o, int v) {
    out[o] = (byte) (v >>> 24);
    out[o + 1] = (byte) (v >>> 16);
    out[o + 2] = (byte) (v >>> 8);
    out[o + 3] = (byte) v;
  }
}
