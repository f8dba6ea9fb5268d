package io.hmb.gateway.db;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the gateway's PostgreSQL is: embedded in {@code dataDir/postgres} (no JDBC URL), or a server by
 * JDBC URL. {@link io.hmb.gateway.config.GatewayConfig#database()} makes one from the validated config.
 *
 * @param dataDir the gateway's data directory (the embedded database and its lock live there)
 * @param jdbcUrl a PostgreSQL server's URL, or null for the embedded database
 * @param user the role the gateway serves as on that server (or null: the URL's)
 * @param password the server's password, or null (never from the command line)
 * @param poolSize connections in the gateway's pool
 * @param ownerUser the schema owner that runs the migrations on that server, or null: {@code user} runs them
 *     (when there are any to run)
 * @param ownerPassword its password, or null
 * @param socketTimeout the longest one database round trip of the serving pool may take
 * @param statementStatistics the embedded database only, off by default: load {@code pg_stat_statements}
 *     (shared_preload_libraries, {@code CREATE EXTENSION}) so the bench can say which statements PostgreSQL
 *     spends its time on ({@code ./hmb bench --pg-statements}); ignored for a server by JDBC URL
 */
public record DatabaseConfig(Path dataDir, String jdbcUrl, String user, String password, int poolSize, String ownerUser,
    String ownerPassword, Duration socketTimeout, boolean statementStatistics) {
  /**
   * How long the gateway waits for any one database round trip before it gives the connection up and answers
   * GATEWAY_UNAVAILABLE. Bounds the wait of a commit on a primary whose synchronous standby is gone (PostgreSQL
   * waits for it for ever, and cancelling the wait would commit locally and report success: docs/reliability.md,
   * "High availability"). Longer than any statement the serving path runs; a worker's batch retries.
   */
  public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(10);

  public DatabaseConfig(Path dataDir, String jdbcUrl, String user, String password, int poolSize) {
    this(dataDir, jdbcUrl, user, password, poolSize, null, null, DEFAULT_SOCKET_TIMEOUT, false);
  }

  public DatabaseConfig(Path dataDir, String jdbcUrl, String user, String password, int poolSize, String ownerUser,
      String ownerPassword, Duration socketTimeout) {
    this(dataDir, jdbcUrl, user, password, poolSize, ownerUser, ownerPassword, socketTimeout, false);
  }

  public boolean embedded() {
    return jdbcUrl == null;
  }
}
