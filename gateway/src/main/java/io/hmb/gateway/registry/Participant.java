package io.hmb.gateway.registry;

import io.hmb.api.v1.Role;
import java.util.Optional;

/**
 * A registered party: bureau, hospital, pharmacy, insurer or platform. {@code rateLimit} is its own
 * token bucket if the operator set one; otherwise the gateway's default applies.
 */
public record Participant(String code, Role role, String admdvs, String displayName, Status status,
    Optional<String> endpoint, Optional<RateLimit> rateLimit) {

  public enum Status { ACTIVE, SUSPENDED }

  /** Messages per second sustained, and how many at once. */
  public record RateLimit(double perSecond, int burst) {
    public RateLimit {
      if (!(perSecond > 0) || burst < 1) {
        throw new IllegalArgumentException("a rate limit needs perSecond > 0 and burst >= 1, got " + perSecond + "/" + burst);
      }
    }

    @Override
    public String toString() {
      return perSecond + "/s burst " + burst;
    }
  }

  /** A participant under the gateway's default rate limit. */
  public Participant(String code, Role role, String admdvs, String displayName, Status status, Optional<String> endpoint) {
    this(code, role, admdvs, displayName, status, endpoint, Optional.empty());
  }

  public boolean active() {
    return status == Status.ACTIVE;
  }

  /** Whether the gateway calls this participant (push, pass-through) rather than it pulling its inbox. */
  public boolean hasEndpoint() {
    return endpoint.isPresent();
  }
}
