package io.hmb.gateway.delivery;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Retry and lease settings of store-and-forward delivery, with exponential backoff and jitter. */
public record DeliveryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration pushTimeout,
    Duration ackTimeout, Duration pollInterval, int batchSize) {

  public static final DeliveryPolicy DEFAULTS = new DeliveryPolicy(12, Duration.ofMillis(500), Duration.ofMinutes(5),
      Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofMillis(200), 100);

  /** Delay before attempt {@code attempts + 1}: initial * 2^(attempts-1), capped, then 50-100% of it. */
  public Duration backoff(int attempts) {
    long base = initialBackoff.toMillis() << Math.min(Math.max(attempts - 1, 0), 20);
    long capped = Math.min(base, maxBackoff.toMillis());
    return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
  }

  /**
   * How long a push worker holds its claim before another worker may take the pair over: enough for
   * one push and some slack. The worker extends it while it works through a batch, so a worker that
   * dies (kill -9) blocks its pair for at most this long.
   */
  public Duration lease() {
    return pushTimeout.multipliedBy(2).plusSeconds(5);
  }
}
