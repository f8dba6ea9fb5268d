package io.hmb.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A stall and queueing look alike in a percentile; by due time they do not. */
class TailOverTimeTest {
  private static final long WINDOW = 250_000;
  /** Sub-millisecond digits are dropped: the offsets are read against other clocks to the millisecond. */
  private static final Instant FROM = Instant.parse("2026-12-03T16:10:05.123456Z");

  /** 2 s of calls due every 10 ms, 10 ms each, except the {@code slow} ones (by index), which take 80 ms. */
  private static TailOverTime step(java.util.function.IntPredicate slow) {
    int n = 200;
    long[] due = new long[n];
    long[] latency = new long[n];
    for (int i = 0; i < n; i++) {
      due[i] = i * 10_000L;
      latency[i] = slow.test(i) ? 80_000 : 10_000;
    }
    return TailOverTime.of(FROM, due, latency, WINDOW, 20_000);
  }

  @Test
  void aStallIsHeldByTheWindowItHappenedIn() {
    // Calls 130 to 139 were due between 1.30 and 1.39 s: all in the window from 1.25 s.
    TailOverTime t = step(i -> i >= 130 && i < 140);
    assertThat(t.windows()).isEqualTo(8);
    assertThat(t.slowCalls()).isEqualTo(10);
    assertThat(t.windowsWithSlowCalls()).isEqualTo(1);
    assertThat(t.worst()).containsExactly(new TailOverTime.Window(1.25, 25, 10, 80.0));
    assertThat(t.shareInWorst()).isEqualTo(1.0);
    assertThat(t.describe()).isEqualTo("10 calls over 20.0 ms in 1 of 8 windows of 250 ms "
        + "from 2026-12-03T16:10:05.123Z, "
        + "100% in the worst: "
        + "+1.25 s 10 of 25 (max 80.0 ms)");
  }

  @Test
  void queueingIsSpreadOverTheWindows() {
    TailOverTime t = step(i -> i % 20 == 7); // one slow call in every 200 ms
    assertThat(t.slowCalls()).isEqualTo(10);
    assertThat(t.windowsWithSlowCalls()).isEqualTo(8);
    assertThat(t.worst()).hasSize(TailOverTime.WORST);
    // Two windows of 250 ms hold two calls due 200 ms apart; the earliest first among equals.
    assertThat(t.worst().get(0).slowCalls()).isEqualTo(2);
    assertThat(t.shareInWorst()).isLessThan(0.7);
  }

  @Test
  void noSlowCallsNoWorstWindows() {
    TailOverTime t = step(i -> false);
    assertThat(t.slowCalls()).isZero();
    assertThat(t.worst()).isEmpty();
    assertThat(t.describe())
        .isEqualTo("0 calls over 20.0 ms in 0 of 8 windows of 250 ms from 2026-12-03T16:10:05.123Z");
  }

  @Test
  void dueTimesAndLatenciesComeInPairs() {
    assertThatThrownBy(() -> TailOverTime.of(FROM, new long[2], new long[1], WINDOW, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
