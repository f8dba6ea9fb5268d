package io.hmb.security.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.security.replay.ReplayGuard.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryReplayGuardTest {
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-03-01T00:00:00Z"));
  private final Clock clock = new Clock() {
    @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    @Override public Instant instant() { return now.get(); }
  };

  private static byte[] nonce(int i) {
    byte[] n = new byte[16];
    n[0] = (byte) i;
    n[1] = (byte) (i >> 8);
    return n;
  }

  @Test
  void messageIdAndNonceAreEachRememberedPerSender() {
    InMemoryReplayGuard g = new InMemoryReplayGuard(clock, 10);
    Instant exp = now.get().plusSeconds(60);
    assertThat(g.checkAndRecord("A", "m1", nonce(1), exp)).isEqualTo(Outcome.FIRST_SEEN);
    assertThat(g.checkAndRecord("A", "m1", nonce(2), exp)).isEqualTo(Outcome.REPLAYED);
    assertThat(g.checkAndRecord("A", "m2", nonce(1), exp)).isEqualTo(Outcome.REPLAYED);
    assertThat(g.checkAndRecord("B", "m1", nonce(1), exp)).isEqualTo(Outcome.FIRST_SEEN); // other sender
    assertThat(g.size()).isEqualTo(2);
  }

  @Test
  void expiredEntriesAreEvictedAndAFullGuardFailsClosed() {
    InMemoryReplayGuard g = new InMemoryReplayGuard(clock, 3);
    for (int i = 0; i < 3; i++) {
      assertThat(g.checkAndRecord("A", "m" + i, nonce(i), now.get().plusSeconds(10 + i))).isEqualTo(Outcome.FIRST_SEEN);
    }
    assertThat(g.checkAndRecord("A", "m3", nonce(3), now.get().plusSeconds(60))).isEqualTo(Outcome.FULL);
    now.set(now.get().plusSeconds(10)); // m0 expires (expire_time is exclusive)
    assertThat(g.checkAndRecord("A", "m3", nonce(3), now.get().plusSeconds(60))).isEqualTo(Outcome.FIRST_SEEN);
    assertThat(g.checkAndRecord("A", "m0", nonce(0), now.get().plusSeconds(60))).isEqualTo(Outcome.FULL);
    now.set(now.get().plusSeconds(1)); // m1 expires too: the forgotten m0 may be recorded again
    assertThat(g.checkAndRecord("A", "m0", nonce(0), now.get().plusSeconds(60))).isEqualTo(Outcome.FIRST_SEEN);
    now.set(now.get().plus(Duration.ofHours(1)));
    assertThat(g.checkAndRecord("A", "m9", nonce(9), now.get().plusSeconds(60))).isEqualTo(Outcome.FIRST_SEEN);
    assertThat(g.size()).isEqualTo(1);
  }

  @Test
  void concurrentDuplicatesGetExactlyOneFirstSeen() throws Exception {
    InMemoryReplayGuard g = new InMemoryReplayGuard(clock, 100_000);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(pool.submit(() -> {
          int firsts = 0;
          for (int i = 0; i < 2000; i++) {
            if (g.checkAndRecord("A", "m" + i, nonce(i), now.get().plusSeconds(60)) == Outcome.FIRST_SEEN) {
              firsts++;
            }
          }
          return firsts;
        }));
      }
      int total = 0;
      for (Future<Integer> f : results) {
        total += f.get(30, TimeUnit.SECONDS);
      }
      assertThat(total).isEqualTo(2000);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void deferredToCallerRecordsNothing() {
    ReplayGuard g = ReplayGuard.deferredToCaller();
    assertThat(g.checkAndRecord("A", "m", nonce(1), now.get())).isEqualTo(Outcome.FIRST_SEEN);
    assertThat(g.checkAndRecord("A", "m", nonce(1), now.get())).isEqualTo(Outcome.FIRST_SEEN);
  }
}
