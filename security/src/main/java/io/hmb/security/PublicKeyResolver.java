package io.hmb.security;

import java.time.Instant;

/**
 * Finds a participant's public key by key id. The gateway implements it over its participant
 * directory (PostgreSQL); {@link KeyDirectory} is the in-memory implementation for tests, tools and
 * the client SDK.
 *
 * <p>Contract for implementations:
 * <ul>
 *   <li>Unknown participant: throw {@code EnvelopeException.of(SENDER_UNKNOWN)} (or KEY_UNKNOWN if
 *       the directory does not distinguish); suspended participant: SENDER_SUSPENDED.</li>
 *   <li>Key id not registered for that participant: KEY_UNKNOWN.</li>
 *   <li>Key registered but not ENABLED (revoked, destroyed), or {@code at} outside its
 *       [not_before, not_after) window: KEY_REVOKED.</li>
 *   <li>Return a cached {@link PublicKeyHandle} (parse the SubjectPublicKeyInfo once per key, not
 *       per message; the handle carries the verifier cache). Keep the cache short-lived or
 *       invalidate it on revocation.</li>
 * </ul>
 * {@code at} is the header's create_time; the verifier separately bounds create_time to
 * [now - max lifetime, now + max clock skew], so a key whose window ended can only vouch for
 * messages created while it was valid. Revocation (status) applies regardless of {@code at}.
 */
@FunctionalInterface
public interface PublicKeyResolver {
  PublicKeyHandle resolve(String participant, String keyId, Instant at) throws EnvelopeException;
}
