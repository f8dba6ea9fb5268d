package io.hmb.security;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * A deterministic "SecureRandom" for test vectors only: block i = SHA-256(seed || i as 8-byte
 * big-endian). Never use it outside tests.
 */
final class CounterRandom extends java.security.SecureRandom {
  private static final long serialVersionUID = 1L;
  private final byte[] seed;
  private long counter;
  private final byte[] block = new byte[32];
  private int used = 32;

  CounterRandom(String seed) {
    this.seed = seed.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void nextBytes(byte[] out) {
    for (int i = 0; i < out.length; i++) {
      if (used == 32) {
        SHA256Digest d = new SHA256Digest();
        d.update(seed, 0, seed.length);
        for (int s = 56; s >= 0; s -= 8) {
          d.update((byte) (counter >>> s));
        }
        d.doFinal(block, 0);
        counter++;
        used = 0;
      }
      out[i] = block[used++];
    }
  }

  @Override
  public byte[] generateSeed(int n) {
    byte[] b = new byte[n];
    nextBytes(b);
    return b;
  }

  @Override
  public void setSeed(long ignored) {
    // deterministic by construction; SecureRandom's constructor calls this
  }
}
