package io.hmb.client;

import io.hmb.api.MessageCatalog;
import io.hmb.api.v1.ErrorReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The retry loop of one call: runs attempts under the {@link RetryPolicy} within one time budget.
 * Each attempt seals a new envelope (the attempt function does); the idempotency key stays the same.
 *
 * <p>Besides the policy's reasons, one extra attempt is made when the gateway or recipient reports a
 * key problem (KEY_UNKNOWN, KEY_REVOKED, DECRYPTION_FAILED) and the directory, asked again, names a
 * different key for the recipient: the message was sealed for a key that rotated away.
 */
final class Attempts {
  private static final Set<ErrorReason> KEY_PROBLEMS = Set.of(ErrorReason.KEY_UNKNOWN, ErrorReason.KEY_REVOKED,
      ErrorReason.DECRYPTION_FAILED);

  /** One attempt: seal anew, call with the given per-attempt deadline. */
  interface Attempt<R> {
    R run(Duration deadline, List<Sealed> sent);
  }

  private final RetryPolicy policy;
  private final Sleeper sleeper;
  private final DirectoryCache directory;

  Attempts(RetryPolicy policy, Sleeper sleeper, DirectoryCache directory) {
    this.policy = policy;
    this.sleeper = sleeper;
    this.directory = directory;
  }

  <R> R run(OutboundMessage m, Duration deadline, Attempt<R> attempt) {
    long start = System.nanoTime();
    long budget = policy.totalBudget().toNanos();
    List<Sealed> sent = new ArrayList<>();
    boolean keyRefreshUsed = false;
    for (int n = 1; ; n++) {
      long left = budget - (System.nanoTime() - start);
      Duration thisDeadline = Duration.ofNanos(Math.max(1, Math.min(deadline.toNanos(), left)));
      try {
        return attempt.run(thisDeadline, sent);
      } catch (GatewayException failure) {
        if (!keyRefreshUsed && keyRotatedAway(failure, sent)) {
          keyRefreshUsed = true;
          n--; // the refreshed attempt does not count against the policy
          continue;
        }
        if (n >= policy.maxAttempts() || !policy.shouldRetry(failure) || !safeToRepeat(m)) {
          throw failure;
        }
        Duration wait = policy.delayAfter(n, failure);
        if (System.nanoTime() - start + wait.toNanos() >= budget) {
          throw failure;
        }
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw failure;
        }
      }
    }
  }

  /** A keyed operation or a read-only query may be repeated; anything else could act twice. */
  private static boolean safeToRepeat(OutboundMessage m) {
    return m.idempotencyKey().isPresent() || MessageCatalog.isReadOnly(m.type());
  }

  private boolean keyRotatedAway(GatewayException failure, List<Sealed> sent) {
    if (sent.isEmpty() || failure.origin() != GatewayException.Origin.REMOTE
        || failure.reason().filter(KEY_PROBLEMS::contains).isEmpty()) {
      return false;
    }
    Sealed last = sent.get(sent.size() - 1);
    directory.invalidate(last.recipient());
    try {
      return !directory.sealingKey(last.recipient()).keyId().equals(last.header().getRecipientKeyId());
    } catch (GatewayException unavailable) {
      return false;
    }
  }
}
