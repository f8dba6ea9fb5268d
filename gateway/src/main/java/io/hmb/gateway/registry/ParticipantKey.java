package io.hmb.gateway.registry;

import io.hmb.api.v1.CipherSuite;
import java.time.Instant;

/** A participant's public key with its validity window. Only public material is ever stored here. */
public record ParticipantKey(String participantCode, String keyId, CipherSuite suite, byte[] publicKeyDer,
    Instant notBefore, Instant notAfter, Status status, boolean primary) {

  public enum Status { ENABLED, REVOKED }

  /** Usable at {@code at}: enabled and inside its validity window. */
  public boolean liveAt(Instant at) {
    return status == Status.ENABLED && !at.isBefore(notBefore) && at.isBefore(notAfter);
  }
}
