package io.hmb.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EnvelopePolicyTest {
  @Test
  void defaults() {
    EnvelopePolicy p = EnvelopePolicy.defaults();
    assertThat(p.maxClockSkew()).isEqualTo(Duration.ofMinutes(5));
    assertThat(p.maxLifetime()).isEqualTo(Duration.ofDays(7));
    assertThat(p.maxEnvelopeBytes()).isEqualTo(4 * 1024 * 1024);
  }

  @Test
  void allProblemsAreReportedAtOnce() {
    assertThatThrownBy(() -> EnvelopePolicy.builder().maxClockSkew(Duration.ofHours(2))
        .maxLifetime(Duration.ZERO).maxEnvelopeBytes(10).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxClockSkew must be at most 1 hour: a larger skew widens the replay window; "
            + "maxLifetime must be positive; maxEnvelopeBytes must be at least 1024");
  }
}
