package io.hmb.gateway.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's PostgreSQL: the embedded server (default) or an external one by JDBC URL, a HikariCP
 * pool, and the schema migrated by Flyway before anything else touches it.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);
  static final long CONNECTION_TIMEOUT_MS = 3000;

  private final EmbeddedDatabase embedded;
  private final HikariDataSource pool;

  private Database(EmbeddedDatabase embedded, HikariDataSource pool) {
    this.embedded = embedded;
    this.pool = pool;
  }

  public static Database open(DatabaseConfig config) throws IOException {
    EmbeddedDatabase embedded = null;
    String url = config.jdbcUrl();
    String user = config.user();
    String password = config.password();
    if (config.embedded()) {
      DataDirLock lock = DataDirLock.tryAcquire(config.dataDir()).orElseThrow(() -> new IllegalStateException(
          "another gateway is running on data directory " + config.dataDir().toAbsolutePath()
              + "; stop it, or start this one with another --data-dir"));
      embedded = EmbeddedDatabase.start(config.dataDir().resolve("postgres"), lock);
      url = embedded.jdbcUrl();
      user = embedded.user();
      password = null;
    }
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("hmb-gateway");
    hikari.setJdbcUrl(url);
    // Batched audit inserts go to the server as one multi-row statement.
    hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
    hikari.setUsername(user);
    if (password != null) {
      hikari.setPassword(password);
    }
    hikari.setMaximumPoolSize(config.poolSize());
    // Fail fast while the database is away: callers get GATEWAY_UNAVAILABLE with RetryInfo, not a 30 s hang.
    hikari.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
    try {
      HikariDataSource pool = new HikariDataSource(hikari);
      var result = Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
      log.info("database schema migrated applied={} version={}", result.migrationsExecuted,
          result.targetSchemaVersion);
      return new Database(embedded, pool);
    } catch (RuntimeException e) {
      if (embedded != null) {
        embedded.close();
      }
      throw e;
    }
  }

  /**
   * For operator commands (audit verify, participants ...): the same database as the gateway. With an
   * embedded database, connects to the running gateway's PostgreSQL if there is one, else starts it.
   */
  public static Database openForAdmin(DatabaseConfig config) throws IOException {
    if (!config.embedded()) {
      return open(config);
    }
    Optional<DataDirLock> free = DataDirLock.tryAcquire(config.dataDir());
    if (free.isPresent()) {
      free.get().close();
      return open(config);
    }
    int port = EmbeddedDatabase.runningPort(config.dataDir().resolve("postgres")).orElseThrow(() ->
        new IllegalStateException("a gateway holds " + config.dataDir() + " but its PostgreSQL port is unknown"));
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("hmb-admin");
    hikari.setJdbcUrl("jdbc:postgresql://localhost:" + port + "/postgres");
    hikari.setUsername("postgres");
    hikari.setMaximumPoolSize(2);
    return new Database(null, new HikariDataSource(hikari));
  }

  public DataSource dataSource() {
    return pool;
  }

  @Override
  public void close() throws IOException {
    pool.close();
    if (embedded != null) {
      embedded.close();
    }
  }
}
