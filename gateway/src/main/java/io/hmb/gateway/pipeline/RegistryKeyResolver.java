package io.hmb.gateway.pipeline;

import io.hmb.gateway.registry.Participant;
import io.hmb.gateway.registry.ParticipantKey;
import io.hmb.gateway.registry.RegistryCache;
import io.hmb.security.EnvelopeException;
import io.hmb.security.EnvelopeException.Reason;
import io.hmb.security.PublicKeyHandle;
import io.hmb.security.PublicKeyResolver;
import java.security.spec.InvalidKeySpecException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves senders' public keys from the registry. Parsed key handles (with their cached verifiers)
 * are kept per key id, so a key is parsed once, not per message; status and validity are read from
 * the registry snapshot on every call, so a revocation takes effect within the snapshot TTL.
 */
public final class RegistryKeyResolver implements PublicKeyResolver {
  private final RegistryCache registry;
  private final Map<String, PublicKeyHandle> parsed = new ConcurrentHashMap<>();

  public RegistryKeyResolver(RegistryCache registry) {
    this.registry = registry;
  }

  @Override
  public PublicKeyHandle resolve(String participant, String keyId, Instant at) throws EnvelopeException {
    var snapshot = registry.current();
    Participant p = snapshot.participant(participant).orElseThrow(() -> EnvelopeException.of(Reason.SENDER_UNKNOWN));
    if (!p.active()) {
      throw EnvelopeException.of(Reason.SENDER_SUSPENDED);
    }
    ParticipantKey key = snapshot.key(participant, keyId).orElseThrow(() -> EnvelopeException.of(Reason.KEY_UNKNOWN));
    if (!key.liveAt(at)) {
      throw EnvelopeException.of(Reason.KEY_REVOKED);
    }
    PublicKeyHandle handle = parsed.get(keyId);
    if (handle == null) {
      try {
        handle = PublicKeyHandle.fromSpkiDer(key.publicKeyDer());
      } catch (InvalidKeySpecException e) {
        throw EnvelopeException.of(Reason.KEY_UNKNOWN);
      }
      if (!handle.keyId().equals(keyId)) {
        // The registry row does not match its own id: refuse rather than trust either.
        throw EnvelopeException.of(Reason.KEY_UNKNOWN);
      }
      parsed.put(keyId, handle);
    }
    return handle;
  }
}
