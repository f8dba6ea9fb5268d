package io.hmb.gateway.pipeline;

import io.hmb.api.Errors;
import io.hmb.api.v1.ErrorReason;
import io.hmb.gateway.registry.Participant;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per sender on this node: the participant's own limit if the operator set one
 * ({@code participants set-rate-limit}), else {@code ratePerSecond} sustained, {@code burst} at once.
 * Over the limit the call fails with RATE_LIMITED and a RetryInfo saying when a token is free.
 */
public final class RateLimiter {
  private final Participant.RateLimit defaultLimit;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(double ratePerSecond, int burst) {
    this.defaultLimit = new Participant.RateLimit(ratePerSecond, burst);
  }

  public void acquire(Participant sender) {
    Participant.RateLimit limit = sender.rateLimit().orElse(defaultLimit);
    double ratePerNano = limit.perSecond() / 1e9;
    long waitNanos = buckets.computeIfAbsent(sender.code(), s -> new Bucket(limit.burst()))
        .take(ratePerNano, limit.burst(), System.nanoTime());
    if (waitNanos > 0) {
      throw Errors.retryAfter(ErrorReason.RATE_LIMITED, sender.code() + " is over its rate limit of " + limit, Duration.ofNanos(Math.max(waitNanos, 1_000_000)));
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
