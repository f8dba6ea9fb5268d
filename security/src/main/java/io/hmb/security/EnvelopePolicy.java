package io.hmb.security;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Limits applied by {@link Sealer}, {@link Opener} and {@link EnvelopeVerifier}. Defaults are named
 * constants; {@link Builder#build()} refuses inconsistent settings (it never silently substitutes a
 * default for a security setting).
 */
public final class EnvelopePolicy {
  /** How far in the future create_time may be, to absorb clock drift between sender and us. */
  public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(5);
  /** Longest allowed expire_time - create_time (store-and-forward types). */
  public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofDays(7);
  /** Largest serialized SealedEnvelope accepted or produced: 4 MiB. */
  public static final int DEFAULT_MAX_ENVELOPE_BYTES = 4 * 1024 * 1024;
  /** The only schema version of hmb.v1. */
  public static final int SCHEMA_VERSION = 1;

  private static final EnvelopePolicy DEFAULTS = builder().build();

  private final Duration maxClockSkew;
  private final Duration maxLifetime;
  private final int maxEnvelopeBytes;

  private EnvelopePolicy(Builder b) {
    this.maxClockSkew = b.maxClockSkew;
    this.maxLifetime = b.maxLifetime;
    this.maxEnvelopeBytes = b.maxEnvelopeBytes;
  }

  public static EnvelopePolicy defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Duration maxClockSkew() {
    return maxClockSkew;
  }

  public Duration maxLifetime() {
    return maxLifetime;
  }

  public int maxEnvelopeBytes() {
    return maxEnvelopeBytes;
  }

  @Override
  public String toString() {
    return "EnvelopePolicy{maxClockSkew=" + maxClockSkew + ", maxLifetime=" + maxLifetime
        + ", maxEnvelopeBytes=" + maxEnvelopeBytes + "}";
  }

  /** Builder; every setter is optional. */
  public static final class Builder {
    private Duration maxClockSkew = DEFAULT_MAX_CLOCK_SKEW;
    private Duration maxLifetime = DEFAULT_MAX_LIFETIME;
    private int maxEnvelopeBytes = DEFAULT_MAX_ENVELOPE_BYTES;

    private Builder() {}

    public Builder maxClockSkew(Duration v) {
      this.maxClockSkew = v;
      return this;
    }

    public Builder maxLifetime(Duration v) {
      this.maxLifetime = v;
      return this;
    }

    public Builder maxEnvelopeBytes(int v) {
      this.maxEnvelopeBytes = v;
      return this;
    }

    /** Validates every setting and reports all problems at once. */
    public EnvelopePolicy build() {
      List<String> errors = new ArrayList<>();
      if (maxClockSkew == null || maxClockSkew.isNegative()) {
        errors.add("maxClockSkew must be zero or positive");
      } else if (maxClockSkew.compareTo(Duration.ofHours(1)) > 0) {
        errors.add("maxClockSkew must be at most 1 hour: a larger skew widens the replay window");
      }
      if (maxLifetime == null || maxLifetime.isNegative() || maxLifetime.isZero()) {
        errors.add("maxLifetime must be positive");
      }
      if (maxEnvelopeBytes < 1024) {
        errors.add("maxEnvelopeBytes must be at least 1024");
      }
      if (!errors.isEmpty()) {
        throw new IllegalArgumentException(String.join("; ", errors));
      }
      return new EnvelopePolicy(this);
    }
  }
}
