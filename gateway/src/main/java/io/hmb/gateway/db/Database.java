package io.hmb.gateway.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
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

  /**
   * The gateway's database, for serving: the schema migrated by its owner, the pool logged in as the role
   * with only the rights the gateway needs (V9). Embedded: the superuser migrates, {@code hmb_app} serves,
   * both with passwords from {@code dataDir/postgres-credentials}. By JDBC URL: {@code config.ownerUser()}
   * migrates if given, else {@code config.user()} does (when there is anything to migrate), and
   * {@code config.user()} serves.
   */
  public static Database open(DatabaseConfig config) throws IOException {
    return open(config, false);
  }

  private static Database open(DatabaseConfig config, boolean asSuperuser) throws IOException {
    EmbeddedDatabase embedded = null;
    String url = config.jdbcUrl();
    Login serving = new Login(config.user(), config.password());
    Login owner = config.ownerUser() == null ? null : new Login(config.ownerUser(), config.ownerPassword());
    if (config.embedded()) {
      DataDirLock lock = DataDirLock.tryAcquire(config.dataDir()).orElseThrow(() -> new IllegalStateException(
          "another gateway is running on data directory " + config.dataDir().toAbsolutePath()
              + "; stop it, or start this one with another --data-dir"));
      embedded = EmbeddedDatabase.start(config.dataDir().resolve("postgres"), lock, config.statementStatistics());
      url = embedded.jdbcUrl();
      owner = new Login(embedded.user(), embedded.password());
      serving = asSuperuser ? owner : new Login(embedded.appUser(), embedded.appPassword());
    }
    try {
      migrate(url, owner, serving);
      return new Database(embedded, pool("hmb-gateway", url, serving, config.poolSize(), config.socketTimeout()));
    } catch (RuntimeException e) {
      if (embedded != null) {
        embedded.close();
      }
      throw e;
    }
  }

  /**
   * Migrations as the schema owner; V9 grants the serving role its rights ({@code ${app_role}}). Without an
   * owner the serving user migrates, as it did before roles were split: only when something is pending, so
   * a serving role without DDL rights starts on a schema its owner has migrated.
   */
  private static void migrate(String url, Login owner, Login serving) {
    Login migrator = owner != null ? owner : serving;
    String appRole = serving.user() != null ? quoteIdentifier(serving.user()) : "CURRENT_USER";
    Flyway flyway = Flyway.configure()
        .dataSource(url, migrator.user(), migrator.password())
        .locations("classpath:db/migration")
        .placeholders(Map.of("app_role", appRole))
        .load();
    if (owner == null && flyway.info().pending().length == 0) {
      log.info("database schema up to date version={}", flyway.info().current().getVersion());
      return;
    }
    org.flywaydb.core.api.output.MigrateResult result;
    try {
      result = flyway.migrate();
    } catch (org.flywaydb.core.api.FlywayException e) {
      if (owner != null) {
        throw e;
      }
      throw new IllegalStateException("the database schema needs migrations that " + migrator.user() + " may not be "
          + "allowed to run: give the schema owner in HMB_JDBC_OWNER_USER and HMB_JDBC_OWNER_PASSWORD "
          + "(docs/security.md, \"Database roles\")", e);
    }
    log.info("database schema migrated applied={} version={} as={}", result.migrationsExecuted,
        result.targetSchemaVersion, migrator.user());
  }

  static String quoteIdentifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private static HikariDataSource pool(String name, String url, Login login, int size, java.time.Duration socketTimeout) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName(name);
    hikari.setJdbcUrl(url);
    // Batched audit inserts go to the server as one multi-row statement.
    hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
    if (login.user() != null) {
      hikari.setUsername(login.user());
    }
    if (login.password() != null) {
      hikari.setPassword(login.password());
    }
    // A round trip that outlasts this breaks the connection: the caller gets GATEWAY_UNAVAILABLE and retries
    // with its idempotency key. Above all a commit waiting for a synchronous standby that is gone, which
    // PostgreSQL would wait on for ever (DatabaseConfig.DEFAULT_SOCKET_TIMEOUT).
    // (Zero, for an operator's command: none, the operator sees it wait and may stop it.)
    hikari.addDataSourceProperty("socketTimeout", Long.toString(socketTimeout.toSeconds()));
    hikari.setMaximumPoolSize(size);
    // Fail fast while the database is away: callers get GATEWAY_UNAVAILABLE with RetryInfo, not a 30 s hang.
    hikari.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
    return new HikariDataSource(hikari);
  }

  /**
   * For operator commands (audit verify, participants ...): the same database as the gateway, with the
   * gateway's own rights. With an embedded database, connects to the running gateway's PostgreSQL as
   * {@code hmb_app} if there is one, else starts it.
   */
  public static Database openForAdmin(DatabaseConfig config) throws IOException {
    return openForAdmin(config, false);
  }

  /**
   * A database administrator's connection (tests that inspect or tamper with rows, as a DBA or an attacker
   * holding the credentials would): the embedded cluster's superuser, its password read from the data
   * directory; with a JDBC URL, the configured user. Never for the gateway or operator commands.
   */
  public static Database openAsSuperuser(DatabaseConfig config) throws IOException {
    return openForAdmin(config, true);
  }

  private static Database openForAdmin(DatabaseConfig config, boolean asSuperuser) throws IOException {
    if (!config.embedded()) {
      return open(config);
    }
    Optional<DataDirLock> free = DataDirLock.tryAcquire(config.dataDir());
    if (free.isPresent()) {
      free.get().close();
      return open(config, asSuperuser);
    }
    Path cluster = config.dataDir().resolve("postgres");
    int port = EmbeddedDatabase.runningPort(cluster).orElseThrow(() ->
        new IllegalStateException("a gateway holds " + config.dataDir() + " but its PostgreSQL port is unknown"));
    DatabaseCredentials credentials = DatabaseCredentials.of(cluster);
    String role = asSuperuser ? DatabaseCredentials.SUPERUSER : DatabaseCredentials.APP_ROLE;
    Login login = new Login(role, credentials.read(role));
    return new Database(null, pool("hmb-admin", "jdbc:postgresql://localhost:" + port + "/postgres", login, 2, java.time.Duration.ZERO));
  }

  private record Login(String user, String password) {}

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
