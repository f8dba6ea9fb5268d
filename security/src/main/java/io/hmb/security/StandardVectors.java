package io.hmb.security;

import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The national standards' known-answer computations, run by the same library the envelopes use, so
 * that a conformance run can show an integrator the bytes its own library must produce: SM3 of the
 * GB/T 32905-2016 appendix A inputs ({@link Sm3#hash}) and one SM4 block of GB/T 32907-2016 appendix A.
 *
 * <p>{@link #sm4EncryptBlock} is a raw block cipher: it exists for known-answer checks only and
 * protects nothing (envelopes use SM4-GCM through {@link Sealer}).
 */
public final class StandardVectors {
  /** SM4's block and key length in bytes. */
  public static final int SM4_BLOCK_BYTES = 16;

  private StandardVectors() {}

  /** SM4 encryption of one 16-byte block under a 16-byte key, as the standard's appendix A states it. */
  public static byte[] sm4EncryptBlock(byte[] key, byte[] block) {
    if (key.length != SM4_BLOCK_BYTES || block.length != SM4_BLOCK_BYTES) {
      throw new IllegalArgumentException("SM4 takes a 16-byte key and a 16-byte block, got " + key.length + " and "
          + block.length);
    }
    SM4Engine engine = new SM4Engine();
    engine.init(true, new KeyParameter(key));
    byte[] out = new byte[SM4_BLOCK_BYTES];
    engine.processBlock(block, 0, out, 0);
    return out;
  }
}
