package io.hmb.security.replay;

import java.time.Instant;

/**
 * Remembers which (sender, message_id) and (sender, nonce) pairs were seen, until the message's
 * expire_time. After that the freshness check rejects the message anyway, so the entry can go.
 *
 * <p>Implementations must make {@link #checkAndRecord} atomic: two concurrent calls with the same
 * message id or nonce from the same sender must not both see {@link Outcome#FIRST_SEEN}. The gateway
 * supplies a PostgreSQL implementation (a unique index on (sender, message_id) and one on
 * (sender, nonce), rows deleted after expire_time); {@link InMemoryReplayGuard} serves one process.
 *
 * <p>{@code EnvelopeVerifier} and {@code Opener} call it only after the signature has verified, so a
 * forger cannot fill it with another sender's ids.
 */
public interface ReplayGuard {

  /** What {@link #checkAndRecord} found. */
  enum Outcome {
    /** Neither the message id nor the nonce was seen from this sender; both are now recorded. */
    FIRST_SEEN,
    /** The message id or the nonce was already seen from this sender within its validity. */
    REPLAYED,
    /** The guard is full of unexpired entries and refuses to record more (fail closed). */
    FULL
  }

  Outcome checkAndRecord(String sender, String messageId, byte[] nonce, Instant expireTime);

  /**
   * A guard that records nothing and always answers FIRST_SEEN: for callers that check replay
   * themselves in the same database transaction that records the message (the gateway may), and for
   * benchmarks. The name is meant to stand out in review.
   */
  static ReplayGuard deferredToCaller() {
    return (sender, messageId, nonce, expireTime) -> Outcome.FIRST_SEEN;
  }
}
