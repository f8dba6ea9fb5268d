package io.hmb.gateway.pipeline;

import io.hmb.api.Errors;
import io.hmb.api.v1.ErrorReason;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per sender on this node: {@code ratePerSecond} sustained, {@code burst} at once.
 * Over the limit the call fails with RATE_LIMITED and a RetryInfo saying when a token is free.
 */
public final class RateLimiter {
  private final double ratePerNano;
  private final double burst;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(double ratePerSecond, int burst) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
  }

  public void acquire(String sender) {
    long waitNanos = buckets.computeIfAbsent(sender, s -> new Bucket(burst)).take(ratePerNano, burst, System.nanoTime());
    if (waitNanos > 0) {
      throw Errors.retryAfter(ErrorReason.RATE_LIMITED, sender + " is over its rate limit",
          Duration.ofNanos(Math.max(waitNanos, 1_000_000)));
    }
  }

  private static final class Bucket {
    private double tokens;
    private long last;

    Bucket(double tokens) {
      this.tokens = tokens;
      this.last = System.nanoTime();
    }

    /** Takes a token and returns 0, or returns how long until one is free. */
    synchronized long take(double ratePerNano, double burst, long now) {
      tokens = Math.min(burst, tokens + (now - last) * ratePerNano);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) / ratePerNano);
    }
  }
}
