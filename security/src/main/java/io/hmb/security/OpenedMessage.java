package io.hmb.security;

import com.google.protobuf.MessageLite;

/**
 * The result of {@link Opener#open}: the verified header and the decrypted, parsed payload.
 * The payload holds personal data: never log it unmasked (see {@code io.hmb.security.mask}).
 */
public record OpenedMessage<T extends MessageLite>(VerifiedHeader header, T payload) {
  @Override
  public String toString() {
    return "OpenedMessage{" + header + ", payload=<" + payload.getClass().getSimpleName() + ">}";
  }
}
