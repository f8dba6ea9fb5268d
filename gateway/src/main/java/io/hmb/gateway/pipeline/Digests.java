package io.hmb.gateway.pipeline;

import com.google.protobuf.ByteString;
import io.hmb.security.Sm3;

/** SM3 digests of bytes the gateway records (it never needs to read what they hash). */
public final class Digests {
  private Digests() {}

  public static byte[] sm3(ByteString data) {
    return Sm3.hash(data.toByteArray());
  }
}
