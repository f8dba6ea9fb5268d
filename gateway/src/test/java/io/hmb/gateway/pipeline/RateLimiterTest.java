package io.hmb.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.StatusRuntimeException;
import io.hmb.api.Errors;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.Role;
import io.hmb.gateway.registry.Participant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private static Participant hospital(String code, Optional<Participant.RateLimit> limit) {
    return new Participant(code, Role.ROLE_HOSPITAL, "210200", code, Participant.Status.ACTIVE, Optional.empty(), limit);
  }

  @Test
  void aParticipantsOwnLimitOverridesTheDefaultAndOnlyForIt() {
    RateLimiter limiter = new RateLimiter(1000, 1000);
    Participant throttled = hospital("H-THROTTLED", Optional.of(new Participant.RateLimit(0.5, 2)));
    Participant ordinary = hospital("H-ORDINARY", Optional.empty());

    limiter.acquire(throttled);
    limiter.acquire(throttled);
    assertThatThrownBy(() -> limiter.acquire(throttled))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(Errors.reason(e)).contains(ErrorReason.RATE_LIMITED);
          assertThat(e.getStatus().getDescription()).contains("H-THROTTLED", "0.5/s", "burst 2");
        });
    for (int i = 0; i < 50; i++) {
      limiter.acquire(ordinary);
    }
  }

  @Test
  void aLimitNeedsAPositiveRateAndABurstOfAtLeastOne() {
    assertThatThrownBy(() -> new Participant.RateLimit(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Participant.RateLimit(1, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
