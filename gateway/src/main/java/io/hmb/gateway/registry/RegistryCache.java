package io.hmb.gateway.registry;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Serves {@link RegistrySnapshot}s, reloading from PostgreSQL when the snapshot is older than the TTL
 * or when this node changed the registry. Other nodes see a change within the TTL; suspending a
 * participant therefore takes effect cluster-wide within {@link #DEFAULT_TTL}.
 */
public final class RegistryCache {
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(2);
  /**
   * After a failed reload, how long the last good snapshot is served without asking the database again: a
   * database that is gone then costs one caller the pool's timeout per back-off, not every caller in turn.
   */
  public static final Duration FAILED_LOAD_BACKOFF = Duration.ofSeconds(1);

  /** Where snapshots come from: {@link Registry#load()} in the gateway, a fixed snapshot in a test. */
  @FunctionalInterface
  public interface Loader {
    RegistrySnapshot load() throws SQLException;
  }

  private final Loader loader;
  private final Clock clock;
  private final Duration ttl;
  private volatile RegistrySnapshot snapshot;
  private volatile Instant loadedAt = Instant.MIN;
  private volatile Instant retryAfter = Instant.MIN;

  public RegistryCache(Loader loader, Clock clock, Duration ttl) {
    this.loader = loader;
    this.clock = clock;
    this.ttl = ttl;
  }

  public RegistrySnapshot current() {
    Instant now = clock.instant();
    RegistrySnapshot s = snapshot;
    if (s != null && (now.isBefore(loadedAt.plus(ttl)) || now.isBefore(retryAfter))) {
      return s;
    }
    synchronized (this) {
      if (snapshot == null || !now.isBefore(loadedAt.plus(ttl)) && !now.isBefore(retryAfter)) {
        try {
          snapshot = loader.load();
          loadedAt = now;
        } catch (SQLException e) {
          if (snapshot == null) {
            throw new IllegalStateException("cannot load the participant registry: " + e.getMessage(), e);
          }
          // Keep serving the last good snapshot while the database is unreachable; ask again after the back-off.
          retryAfter = clock.instant().plus(FAILED_LOAD_BACKOFF);
        }
      }
      return snapshot;
    }
  }

  /** Forget the snapshot, e.g. after this node changed the registry. */
  public void invalidate() {
    loadedAt = Instant.MIN;
    retryAfter = Instant.MIN;
  }
}
