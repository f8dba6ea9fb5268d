package io.hmb.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hmb.testing.ManualClock;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The registry cache with the database gone: the last good snapshot, and one reload attempt per back-off. */
class RegistryCacheTest {
  private final ManualClock clock = new ManualClock();
  private final AtomicInteger loads = new AtomicInteger();
  private final AtomicBoolean databaseUp = new AtomicBoolean(true);
  private final RegistryCache cache = new RegistryCache(() -> {
    loads.incrementAndGet();
    if (!databaseUp.get()) {
      throw new SQLException("connection refused");
    }
    return new RegistrySnapshot(List.of(), List.of(), List.of());
  }, clock, RegistryCache.DEFAULT_TTL);

  @Test
  void aDatabaseThatIsGoneIsAskedOncePerBackOffNotOncePerCall() {
    RegistrySnapshot good = cache.current();
    databaseUp.set(false);
    clock.advance(RegistryCache.DEFAULT_TTL);
    assertThat(cache.current()).as("the last good snapshot").isSameAs(good);
    assertThat(loads).hasValue(2);
    for (int i = 0; i < 100; i++) {
      assertThat(cache.current()).isSameAs(good);
    }
    assertThat(loads).as("no reload attempt within the back-off").hasValue(2);

    clock.advance(RegistryCache.FAILED_LOAD_BACKOFF);
    cache.current();
    assertThat(loads).as("one attempt after the back-off").hasValue(3);

    databaseUp.set(true);
    cache.invalidate(); // this node changed the registry: reload now, back-off or not
    assertThat(cache.current()).isNotSameAs(good);
    assertThat(loads).hasValue(4);
  }

  @Test
  void withoutAnySnapshotTheFailureIsTheCallers() {
    databaseUp.set(false);
    assertThatThrownBy(cache::current).isInstanceOf(IllegalStateException.class).hasMessageContaining("connection refused");
    clock.advance(Duration.ofMillis(1));
    assertThatThrownBy(cache::current).isInstanceOf(IllegalStateException.class);
  }
}
