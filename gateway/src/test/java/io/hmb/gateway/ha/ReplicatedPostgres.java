package io.hmb.gateway.ha;

import io.hmb.security.tls.DevCertificateAuthority;
import io.hmb.security.tls.TlsIdentity;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server as an operator runs it: Debian's package (not the embedded one), reached over TLS
 * (the test's own CA, the server's certificate for 127.0.0.1, so {@code sslmode=verify-full} holds), the
 * least-privilege roles of docs/security.md ("Database roles"), and optionally a synchronous standby made by
 * {@code pg_basebackup} and streaming from it. The test plays Patroni's part: it kills a node with SIGKILL and
 * promotes the standby with {@code pg_ctl promote}, which is the same promotion Patroni performs; what is
 * under test is the gateway, not the failover manager's election.
 *
 * <p>PostgreSQL refuses to run as root, so as root every server command runs as Debian's {@code postgres}
 * user ({@code runuser}); the cluster directory is that user's.
 */
final class ReplicatedPostgres implements AutoCloseable {
  static final String OWNER = "hmb_owner";
  static final String APP = "hmb_app";
  static final String DATABASE = "hmb";
  private static final String REPLICATOR = "hmb_replicator";
  private static final Duration COMMAND_WAIT = Duration.ofSeconds(60);

  private final Path bin;
  private final Path root;
  private final boolean asPostgresUser;
  final String ownerPassword = secret();
  final String appPassword = secret();
  private final String replicatorPassword = secret();
  private final String superuserPassword = secret();
  final Path caFile;
  private final TlsIdentity serverIdentity;
  final Node primary;
  private Node standby;

  /** A node: its directory, port and how to stop it. */
  final class Node {
    final String name;
    final Path dir;
    final int port;

    Node(String name, int port) {
      this.name = name;
      this.dir = root.resolve(name);
      this.port = port;
    }

    void start() throws IOException {
      run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.toString(), "-l", root.resolve(name + ".log").toString(),
          "-w", "-t", "60", "start"), Map.of());
    }

    /**
     * The node dies as its machine would: SIGKILL to every server process (backends, WAL sender, the
     * postmaster), none of them allowed to finish or say goodbye to a client.
     */
    void kill() throws IOException {
      long pid = Long.parseLong(Files.readAllLines(dir.resolve("postmaster.pid")).get(0).trim());
      ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow(() -> new IOException(name + " is not running"));
      List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
      all.add(postmaster);
      all.forEach(ProcessHandle::destroyForcibly);
      all.forEach(p -> p.onExit().join());
    }

    boolean running() throws IOException {
      Path pidFile = dir.resolve("postmaster.pid");
      if (!Files.exists(pidFile)) {
        return false;
      }
      long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    void promote() throws IOException {
      run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.toString(), "-w", "-t", "60", "promote"), Map.of());
    }

    void stop() throws IOException {
      if (running()) {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.toString(), "-m", "immediate", "-w", "stop"),
            Map.of());
      }
    }

    /** Runs SQL as the superuser over the node's Unix socket (the harness's own door, not the gateway's). */
    String sql(String database, String sql) throws IOException {
      return run(List.of(bin.resolve("psql").toString(), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
          "-h", root.toString(), "-p", Integer.toString(port), "-U", "postgres", "-d", database, "-c", sql),
          Map.of("PGPASSWORD", superuserPassword)).trim();
    }

    /** Sets a server parameter and reloads, as an operator's ALTER SYSTEM does. */
    void set(String parameter, String value) throws IOException {
      sql("postgres", "ALTER SYSTEM SET " + parameter + " = '" + value.replace("'", "''") + "'");
      sql("postgres", "SELECT pg_reload_conf()");
    }
  }

  /** Debian's PostgreSQL server binaries, newest version installed; empty where the package is absent. */
  static Optional<Path> debianBinaries() {
    Path versions = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(versions)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.list(versions)) {
      return s.map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("postgres")) && Files.isExecutable(b.resolve("pg_basebackup")))
          .max((a, b) -> Integer.compare(major(a), major(b)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int major(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Why the tests that need it skip: said once, in their assumption message. */
  static final String ABSENT = "Debian's PostgreSQL server is not installed (apt-get install postgresql): "
      + "the real-server and failover tests skip; .ci/run installs it";

  private ReplicatedPostgres(Path bin, Path root) throws Exception {
    this.bin = bin;
    this.root = root;
    this.asPostgresUser = isRoot();
    this.primary = new Node("primary", freePort());
    DevCertificateAuthority ca = DevCertificateAuthority.create("hmb test database CA", Clock.systemUTC());
    this.serverIdentity = ca.issueServer("127.0.0.1", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(2));
    this.caFile = root.resolve("db-ca.crt");
    Files.writeString(caFile, DevCertificateAuthority.Pem.encode(ca.certificate()), StandardCharsets.US_ASCII);
  }

  /**
   * Starts a primary in a fresh directory under {@code root}, with TLS, roles and the {@code hmb} database;
   * {@code withStandby}: and a synchronous standby, which must confirm every commit before it returns.
   */
  static ReplicatedPostgres start(Path bin, Path root, boolean withStandby) throws Exception {
    Files.createDirectories(root);
    ReplicatedPostgres cluster = new ReplicatedPostgres(bin, root);
    cluster.initPrimary();
    if (withStandby) {
      cluster.addStandby();
    }
    return cluster;
  }

  private void initPrimary() throws Exception {
    chownToPostgres(root);
    Path pwfile = root.resolve("superuser.pw");
    Files.writeString(pwfile, superuserPassword);
    chownToPostgres(pwfile);
    run(List.of(bin.resolve("initdb").toString(), "-D", primary.dir.toString(), "-U", "postgres",
        "--auth=scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8", "--locale=C"), Map.of());
    Files.delete(pwfile);
    serverIdentity.writeTo(primary.dir, "server"); // server.key owner-only, as PostgreSQL demands
    chownToPostgres(primary.dir.resolve("server.key"));
    chownToPostgres(primary.dir.resolve("server.crt"));
    List<String> conf = new ArrayList<>(List.of(
        "listen_addresses = '127.0.0.1'",
        "port = " + primary.port,
        "unix_socket_directories = '" + root + "'",
        "ssl = on",
        "ssl_cert_file = 'server.crt'",
        "ssl_key_file = 'server.key'",
        "wal_level = replica",
        "max_wal_senders = 5",
        "hot_standby = on",
        "fsync = on",
        "synchronous_commit = on"));
    Files.write(primary.dir.resolve("postgresql.conf"), conf, StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);
    // Only TLS with a password from the network; plain TCP refused outright; the socket for the harness.
    Files.writeString(primary.dir.resolve("pg_hba.conf"), String.join("\n",
        "local all postgres scram-sha-256",
        "hostssl " + DATABASE + " " + OWNER + "," + APP + " 127.0.0.1/32 scram-sha-256",
        "hostssl replication " + REPLICATOR + " 127.0.0.1/32 scram-sha-256",
        "host all all 0.0.0.0/0 reject",
        ""));
    primary.start();
    primary.sql("postgres", "CREATE ROLE " + OWNER + " LOGIN PASSWORD '" + ownerPassword + "'");
    primary.sql("postgres", "CREATE ROLE " + APP + " LOGIN PASSWORD '" + appPassword + "'");
    primary.sql("postgres", "CREATE ROLE " + REPLICATOR + " LOGIN REPLICATION PASSWORD '" + replicatorPassword + "'");
    primary.sql("postgres", "CREATE DATABASE " + DATABASE + " OWNER " + OWNER);
    primary.sql(DATABASE, "REVOKE ALL ON DATABASE " + DATABASE + " FROM PUBLIC");
    primary.sql(DATABASE, "GRANT CONNECT ON DATABASE " + DATABASE + " TO " + APP);
    primary.sql(DATABASE, "REVOKE CREATE ON SCHEMA public FROM PUBLIC");
  }

  private void addStandby() throws Exception {
    standby = new Node("standby", freePort());
    run(List.of(bin.resolve("pg_basebackup").toString(), "-h", "127.0.0.1", "-p", Integer.toString(primary.port),
        "-U", REPLICATOR, "-D", standby.dir.toString(), "-R", "-X", "stream", "-c", "fast"),
        Map.of("PGPASSWORD", replicatorPassword, "PGSSLMODE", "verify-full", "PGSSLROOTCERT", caFile.toString()));
    // Its own port; its name is what the primary's synchronous_standby_names waits for; once promoted it is
    // alone, so it must not wait for a standby of its own (with three nodes it would keep one).
    Files.write(standby.dir.resolve("postgresql.conf"), List.of(
        "port = " + standby.port,
        "synchronous_standby_names = ''"), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    // Its connection to the primary: verified TLS as the replication role, named as the primary expects.
    Files.writeString(standby.dir.resolve("postgresql.auto.conf"), "primary_conninfo = 'host=127.0.0.1 port="
        + primary.port + " user=" + REPLICATOR + " password=" + replicatorPassword + " application_name=standby"
        + " sslmode=verify-full sslrootcert=" + caFile + "'\n");
    chownToPostgres(standby.dir.resolve("postgresql.auto.conf"));
    standby.start();
    // Only now: with it set and no standby attached, the primary's own set-up commits would wait for ever.
    primary.set("synchronous_standby_names", "FIRST 1 (standby)");
    awaitSynchronousStandby();
  }

  /** Waits until the primary reports the standby as its synchronous one (after a start or a restart). */
  void awaitSynchronousStandby() throws IOException, InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!"sync".equals(primary.sql("postgres",
        "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby'"))) {
      if (System.nanoTime() > until) {
        throw new IllegalStateException("the standby did not become synchronous within 30 s");
      }
      Thread.sleep(50); // polling replication state: PostgreSQL has no notification for it
    }
  }

  Node standby() {
    if (standby == null) {
      throw new IllegalStateException("started without a standby");
    }
    return standby;
  }

  /** The gateway's URL: every node, the primary asked for, the server's name verified against our CA. */
  String jdbcUrl() {
    StringBuilder hosts = new StringBuilder("127.0.0.1:" + primary.port);
    if (standby != null) {
      hosts.append(",127.0.0.1:").append(standby.port);
    }
    return "jdbc:postgresql://" + hosts + "/" + DATABASE + "?targetServerType=primary&hostRecheckSeconds=1"
        + "&sslmode=verify-full&sslrootcert=" + caFile + "&connectTimeout=2";
  }

  private static boolean isRoot() {
    try {
      Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
      String uid = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      p.waitFor();
      return "0".equals(uid);
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private String run(List<String> command, Map<String, String> env) throws IOException {
    List<String> full = new ArrayList<>();
    if (asPostgresUser) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    Path output = Files.createTempFile("hmb-pg-command", ".out");
    ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile())
        .directory(root.toFile());
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      if (!p.waitFor(COMMAND_WAIT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(Path.of(command.get(0)).getFileName() + " did not finish within " + COMMAND_WAIT);
      }
      String out = Files.readString(output, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IOException(Path.of(command.get(0)).getFileName() + " failed (" + p.exitValue() + "): " + out.trim());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + command.get(0), e);
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private void chownToPostgres(Path path) throws IOException {
    if (asPostgresUser) {
      Process p = new ProcessBuilder("chown", "postgres:postgres", path.toString()).inheritIO().start();
      try {
        if (p.waitFor() != 0) {
          throw new IOException("chown postgres " + path + " failed");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
  }

  private static String secret() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (Node n : standby == null ? List.of(primary) : List.of(primary, standby)) {
      try {
        n.stop();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
