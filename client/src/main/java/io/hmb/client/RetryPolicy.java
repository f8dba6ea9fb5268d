package io.hmb.client;

import io.hmb.api.v1.ErrorReason;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * When and how often the SDK tries a call again. Immutable.
 *
 * <p>A retry is a <em>new envelope</em> (new message_id, nonce and times) carrying the <em>same</em>
 * idempotency key, so the gateway and the recipient recognise it as the same operation. Only the
 * reasons in {@link #retryableReasons()} are retried (by default RECIPIENT_UNAVAILABLE,
 * RECIPIENT_TIMEOUT, RATE_LIMITED, GATEWAY_UNAVAILABLE), plus a transport UNAVAILABLE that carries no
 * hmb.v1 reason. Every other reason (NOT_AUTHORISED, IDEMPOTENCY_KEY_REUSED, ...) fails at once.
 *
 * <p>The wait before attempt n+1 is the larger of the gateway's RetryInfo delay and an exponential
 * backoff ({@link #initialBackoff()} x {@link #multiplier()}^(n-1), at most {@link #maxBackoff()}).
 * All attempts and waits share one {@link #totalBudget()}: each attempt's deadline is cut to what is
 * left, and the SDK gives up, rethrowing the last failure, when the next wait would not leave room
 * for another attempt.
 *
 * <p><b>Does not retry</b> a message without an idempotency key unless it is a read-only query
 * (coverage or insured-status query): without a key a retry could not be told from a new operation.
 */
public final class RetryPolicy {
  /** Default: three attempts in all. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);
  public static final double DEFAULT_MULTIPLIER = 2.0;
  /** Default budget for all attempts and waits of one call. */
  public static final Duration DEFAULT_TOTAL_BUDGET = Duration.ofSeconds(30);

  private static final Set<ErrorReason> DEFAULT_REASONS = EnumSet.of(ErrorReason.RECIPIENT_UNAVAILABLE,
      ErrorReason.RECIPIENT_TIMEOUT, ErrorReason.RATE_LIMITED, ErrorReason.GATEWAY_UNAVAILABLE);

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final double multiplier;
  private final Duration totalBudget;
  private final Set<ErrorReason> retryableReasons;

  private RetryPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.multiplier = b.multiplier;
    this.totalBudget = b.totalBudget;
    this.retryableReasons = Set.copyOf(b.retryableReasons);
  }

  public static RetryPolicy defaults() {
    return builder().build();
  }

  /** One attempt, no retries. */
  public static RetryPolicy none() {
    return builder().maxAttempts(1).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration initialBackoff() {
    return initialBackoff;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  public double multiplier() {
    return multiplier;
  }

  public Duration totalBudget() {
    return totalBudget;
  }

  public Set<ErrorReason> retryableReasons() {
    return retryableReasons;
  }

  /** Whether this failure may be retried (the reason is listed, or a reasonless transport UNAVAILABLE). */
  public boolean shouldRetry(GatewayException failure) {
    if (failure.origin() != GatewayException.Origin.REMOTE) {
      return false;
    }
    return failure.reason().map(retryableReasons::contains)
        .orElse(failure.status().getCode() == io.grpc.Status.Code.UNAVAILABLE);
  }

  /** The wait before the attempt after {@code attemptsMade} attempts, honouring RetryInfo. */
  public Duration delayAfter(int attemptsMade, GatewayException failure) {
    double factor = Math.pow(multiplier, Math.max(0, attemptsMade - 1));
    long backoffNanos = (long) Math.min(maxBackoff.toNanos(), initialBackoff.toNanos() * factor);
    Duration backoff = Duration.ofNanos(backoffNanos);
    return failure.retryDelay().filter(d -> d.compareTo(backoff) > 0).orElse(backoff);
  }

  @Override
  public String toString() {
    return "RetryPolicy{maxAttempts=" + maxAttempts + ", backoff=" + initialBackoff + ".." + maxBackoff
        + " x" + multiplier + ", totalBudget=" + totalBudget + ", reasons=" + retryableReasons + "}";
  }

  /** Builds a RetryPolicy; starts from the defaults. */
  public static final class Builder {
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private double multiplier = DEFAULT_MULTIPLIER;
    private Duration totalBudget = DEFAULT_TOTAL_BUDGET;
    private Set<ErrorReason> retryableReasons = EnumSet.copyOf(DEFAULT_REASONS);

    private Builder() {}

    /** Attempts in all, the first included; 1 means no retry. */
    public Builder maxAttempts(int v) {
      if (v < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1");
      }
      this.maxAttempts = v;
      return this;
    }

    public Builder initialBackoff(Duration v) {
      this.initialBackoff = positive(v, "initialBackoff");
      return this;
    }

    public Builder maxBackoff(Duration v) {
      this.maxBackoff = positive(v, "maxBackoff");
      return this;
    }

    public Builder multiplier(double v) {
      if (!(v >= 1.0)) {
        throw new IllegalArgumentException("multiplier must be at least 1");
      }
      this.multiplier = v;
      return this;
    }

    /** One budget for all attempts and waits of one call. */
    public Builder totalBudget(Duration v) {
      this.totalBudget = positive(v, "totalBudget");
      return this;
    }

    /**
     * Which reasons are retried. Only reasons the catalogue marks retryable are accepted: retrying
     * anything else repeats a refusal.
     */
    public Builder retryableReasons(Set<ErrorReason> reasons) {
      for (ErrorReason r : reasons) {
        if (!io.hmb.api.ErrorCatalog.entry(r).retryable()) {
          throw new IllegalArgumentException(r + " is not retryable (see docs/errors.md)");
        }
      }
      this.retryableReasons = reasons.isEmpty() ? EnumSet.noneOf(ErrorReason.class) : EnumSet.copyOf(reasons);
      return this;
    }

    public RetryPolicy build() {
      if (initialBackoff.compareTo(maxBackoff) > 0) {
        throw new IllegalStateException("initialBackoff must not exceed maxBackoff");
      }
      return new RetryPolicy(this);
    }

    private static Duration positive(Duration v, String name) {
      Objects.requireNonNull(v, name);
      if (v.isNegative() || v.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return v;
    }
  }
}
