package io.hmb.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Deadline;
import io.grpc.InsecureChannelCredentials;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ForwardMarginTest {
  private static final ForwardMargin DEFAULTS = ForwardMargin.DEFAULTS;

  @Test
  void aFractionOfTheTimeLeftBoundedBelowAndAbove() {
    assertThat(DEFAULTS.of(Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(200));
    assertThat(DEFAULTS.of(Duration.ofSeconds(5))).isEqualTo(Duration.ofMillis(500));
    // Short calls keep the floor (the former fixed budget), long ones the ceiling.
    assertThat(DEFAULTS.of(Duration.ofMillis(300))).isEqualTo(Duration.ofMillis(50));
    assertThat(DEFAULTS.of(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(1));
    // Nothing or less than nothing left: the floor; the forwarded call then fails at once as RECIPIENT_TIMEOUT.
    assertThat(DEFAULTS.of(Duration.ZERO)).isEqualTo(Duration.ofMillis(50));
    assertThat(DEFAULTS.of(Duration.ofMillis(-5))).isEqualTo(Duration.ofMillis(50));
  }

  @Test
  void theForwardedCallEndsTheMarginBeforeTheCallersDeadline() {
    FakeTicker ticker = new FakeTicker();
    Deadline caller = Deadline.after(2, TimeUnit.SECONDS, ticker);
    Forwarder forwarder = new Forwarder(recipient -> InsecureChannelCredentials.create(), DEFAULTS, Runnable::run);

    assertThat(forwarder.forwardDeadline(caller).timeRemaining(TimeUnit.MILLISECONDS)).isEqualTo(1800);
    // Forwarded later (intake, verification and the admitting commit took 1 s): 10% of the second left.
    ticker.advance(Duration.ofSeconds(1));
    assertThat(forwarder.forwardDeadline(caller).timeRemaining(TimeUnit.MILLISECONDS)).isEqualTo(900);
  }

  @Test
  void settingsOutsideTheirRangeAreProblems() {
    Duration max = Duration.ofSeconds(60);
    assertThat(DEFAULTS.problems(max)).isEmpty();
    assertThat(new ForwardMargin(0.6, Duration.ofMillis(100), Duration.ofMillis(50)).problems(max)).containsExactly(
        "forwardMargin.fraction must be 0 to 0.5, was 0.6",
        "forwardMargin must have 0 <= floor <= ceiling, were PT0.1S and PT0.05S");
    assertThat(new ForwardMargin(Double.NaN, Duration.ZERO, max).problems(max)).containsExactly(
        "forwardMargin.fraction must be 0 to 0.5, was NaN",
        "forwardMargin.ceiling must be less than maxCallDeadline (PT1M), was PT1M");
  }

  @Test
  void describesItself() {
    assertThat(DEFAULTS).hasToString("10.0% of the time left, 50 ms to 1000 ms");
  }

  private static final class FakeTicker extends Deadline.Ticker {
    private long nanos = 1_000_000_000L;

    @Override
    public long nanoTime() {
      return nanos;
    }

    void advance(Duration d) {
      nanos += d.toNanos();
    }
  }
}
