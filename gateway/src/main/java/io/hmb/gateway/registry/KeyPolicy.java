package io.hmb.gateway.registry;

import java.time.Duration;
import java.time.Instant;

/**
 * How long a registered key lives and how a rotation hands over: the one place these rules are written.
 *
 * @param validity how long a newly registered key stays live
 * @param backdate how far before its registration a key is already live, so a sender whose clock runs
 *     behind the gateway's can use a new key at once (freshness is checked separately, per envelope)
 * @param rotationOverlap how long the previous keys keep verifying after a rotation, by default
 */
public record KeyPolicy(Duration validity, Duration backdate, Duration rotationOverlap) {
  /** Two years of validity (a participant rotates at least that often), live from a day before, a week of overlap. */
  public static final KeyPolicy DEFAULT = new KeyPolicy(Duration.ofDays(730), Duration.ofDays(1), Duration.ofDays(7));

  public KeyPolicy {
    if (validity.isNegative() || validity.isZero() || backdate.isNegative() || rotationOverlap.isNegative()) {
      throw new IllegalArgumentException("a key policy needs validity > 0, backdate >= 0 and overlap >= 0, got "
          + validity + ", " + backdate + ", " + rotationOverlap);
    }
  }

  public Instant notBefore(Instant registeredAt) {
    return registeredAt.minus(backdate);
  }

  public Instant notAfter(Instant registeredAt) {
    return registeredAt.plus(validity);
  }
}
