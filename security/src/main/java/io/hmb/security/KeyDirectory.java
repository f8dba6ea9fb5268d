package io.hmb.security;

import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-memory directory of participants' public keys with status and validity window; a
 * {@link PublicKeyResolver}. Thread-safe. The gateway's production directory lives in PostgreSQL;
 * this one serves tests, tools and the client SDK (which mirrors DirectoryService.GetParticipant).
 */
public final class KeyDirectory implements PublicKeyResolver {
  private record Registered(PublicKeyHandle key, KeyStatus status, Instant notBefore, Instant notAfter) {}

  private final Map<String, Map<String, Registered>> byParticipant = new ConcurrentHashMap<>();

  /** Registers an ENABLED key valid in [notBefore, notAfter). */
  public KeyDirectory register(String participant, PublicKeyHandle key, Instant notBefore, Instant notAfter) {
    Objects.requireNonNull(participant, "participant");
    Objects.requireNonNull(key, "key");
    if (!notBefore.isBefore(notAfter)) {
      throw new IllegalArgumentException("notBefore must be before notAfter");
    }
    byParticipant.computeIfAbsent(participant, p -> new ConcurrentHashMap<>())
        .put(key.keyId(), new Registered(key, KeyStatus.ENABLED, notBefore, notAfter));
    return this;
  }

  /** Sets a key's status; DISABLED or DESTROYED revokes it. */
  public KeyDirectory setStatus(String participant, String keyId, KeyStatus status) {
    Map<String, Registered> keys = byParticipant.get(participant);
    Registered r = keys == null ? null : keys.get(keyId);
    if (r == null) {
      throw new IllegalArgumentException("unknown key " + keyId + " of " + participant);
    }
    keys.put(keyId, new Registered(r.key(), status, r.notBefore(), r.notAfter()));
    return this;
  }

  /** Revokes a key (status DISABLED). */
  public KeyDirectory revoke(String participant, String keyId) {
    return setStatus(participant, keyId, KeyStatus.DISABLED);
  }

  @Override
  public PublicKeyHandle resolve(String participant, String keyId, Instant at) throws EnvelopeException {
    Map<String, Registered> keys = byParticipant.get(participant);
    if (keys == null) {
      throw EnvelopeException.of(EnvelopeException.Reason.SENDER_UNKNOWN);
    }
    Registered r = keys.get(keyId);
    if (r == null) {
      throw EnvelopeException.of(EnvelopeException.Reason.KEY_UNKNOWN);
    }
    if (r.status() != KeyStatus.ENABLED || at.isBefore(r.notBefore()) || !at.isBefore(r.notAfter())) {
      throw EnvelopeException.of(EnvelopeException.Reason.KEY_REVOKED);
    }
    return r.key();
  }

  /**
   * The key to seal new messages for: of the participant's keys usable at {@code at}, the one with
   * the latest notBefore.
   */
  public Optional<PublicKeyHandle> sealingKey(String participant, Instant at) {
    Map<String, Registered> keys = byParticipant.getOrDefault(participant, Map.of());
    return keys.values().stream()
        .filter(r -> r.status() == KeyStatus.ENABLED && !at.isBefore(r.notBefore()) && at.isBefore(r.notAfter()))
        .max(Comparator.comparing(Registered::notBefore))
        .map(Registered::key);
  }

  @Override
  public String toString() {
    return "KeyDirectory{participants=" + byParticipant.keySet() + "}";
  }
}
