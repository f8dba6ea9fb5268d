package io.hmb.gateway.pipeline;

import com.google.protobuf.ByteString;
import org.bouncycastle.crypto.digests.SM3Digest;

/** SM3 digests of bytes the gateway records (it never needs to read what they hash). */
public final class Digests {
  private Digests() {}

  public static byte[] sm3(ByteString data) {
    SM3Digest digest = new SM3Digest();
    byte[] bytes = data.toByteArray();
    digest.update(bytes, 0, bytes.length);
    byte[] out = new byte[digest.getDigestSize()];
    digest.doFinal(out, 0);
    return out;
  }
}
