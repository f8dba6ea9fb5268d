package io.hmb.gateway.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.support.DatabaseConsole;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nobody enters the embedded PostgreSQL without a password, and the gateway serves as a role that cannot
 * escape to the operating system or change the schema. A local user (uid 65534) once connected over
 * loopback as superuser (trust auth), ran COPY ... TO PROGRAM to read the CA key and inserted a key into
 * participant_key; each test here passed against that code's database only by failing.
 */
class DatabaseAccessTest {
  @TempDir Path dataDir;
  private Gateway gateway;

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
  }

  private void startGateway() throws Exception {
    gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir), Clock.systemUTC());
  }

  private int port() throws Exception {
    return EmbeddedDatabase.runningPort(dataDir.resolve("postgres")).orElseThrow();
  }

  private Connection connect(String user, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    if (password != null) {
      p.setProperty("password", password);
    }
    try {
      return DriverManager.getConnection("jdbc:postgresql://localhost:" + port() + "/postgres", p);
    } catch (SQLException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String password(String role) throws Exception {
    return DatabaseCredentials.of(dataDir.resolve("postgres")).read(role);
  }

  @Test
  void noOneEntersWithoutThePassword() throws Exception {
    startGateway();
    for (String role : List.of(DatabaseCredentials.SUPERUSER, DatabaseCredentials.APP_ROLE)) {
      assertThatThrownBy(() -> connect(role, null).close()).as(role + " without a password")
          .isInstanceOf(SQLException.class).hasMessageContaining("password");
      assertThatThrownBy(() -> connect(role, "guessed").close()).as(role + " with a wrong password")
          .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
    }
    try (Connection c = connect(DatabaseCredentials.SUPERUSER, password(DatabaseCredentials.SUPERUSER))) {
      assertThat(c.isValid(1)).as("the password from the data directory opens it").isTrue();
    }
    String hba = Files.readString(dataDir.resolve("postgres").resolve("pg_hba.conf"), StandardCharsets.US_ASCII);
    assertThat(hba.lines().filter(l -> !l.startsWith("#") && !l.isBlank()))
        .isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("host").endsWith("scram-sha-256"));
  }

  @Test
  void thePasswordFilesAreTheOwnersAlone() throws Exception {
    startGateway();
    DatabaseCredentials credentials = DatabaseCredentials.of(dataDir.resolve("postgres"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials.directory())))
        .isEqualTo("rwx------");
    for (String role : List.of(DatabaseCredentials.SUPERUSER, DatabaseCredentials.APP_ROLE)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials.file(role))))
          .as(role).isEqualTo("rw-------");
    }
    assertThat(password(DatabaseCredentials.SUPERUSER)).isNotEqualTo(password(DatabaseCredentials.APP_ROLE));
  }

  @Test
  void theServingRoleCannotLeaveTheDatabaseNorChangeItsSchema() throws Exception {
    startGateway();
    try (Connection c = connect(DatabaseCredentials.APP_ROLE, password(DatabaseCredentials.APP_ROLE));
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBoolean(1)).as("superuser").isFalse();
      }
      for (String attack : List.of(
          "COPY (SELECT 1) TO PROGRAM 'true'",
          "COPY participant_key FROM PROGRAM 'true'",
          "SET session_replication_role = replica",
          "ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only",
          "ALTER TABLE audit_event DISABLE TRIGGER ALL",
          "DROP TRIGGER audit_chain_append_only ON audit_chain",
          "CREATE TABLE planted (x int)",
          "CREATE TEMP TABLE planted (x int)",
          "UPDATE audit_tree SET hash = hash",
          "DELETE FROM audit_tree",
          "CREATE FUNCTION planted() RETURNS int LANGUAGE sql AS 'SELECT 1'",
          "TRUNCATE audit_event CASCADE",
          "DELETE FROM audit_event",
          "UPDATE audit_chain SET hash = prev_hash",
          "DELETE FROM message",
          "CREATE ROLE planted SUPERUSER",
          "ALTER ROLE hmb_app SUPERUSER")) {
        // Refused for want of a right, not for some other error.
        assertThatThrownBy(() -> s.execute(attack)).as(attack).isInstanceOf(SQLException.class)
            .hasMessageMatching("(?s).*(permission denied|must be (owner|superuser)|Only roles with|superuser).*");
      }
    }
    // The same attempts as a DBA, to show what they would have done: the superuser can (and is the DBA's alone).
    try (DatabaseConsole dba = DatabaseConsole.of(dataDir); Connection c = dba.connect(); Statement s = c.createStatement()) {
      s.execute("COPY (SELECT 1) TO PROGRAM 'cat > /dev/null'");
    }
  }

  @Test
  void theServingRoleMayDoWhatTheGatewayDoesOnEveryTable() throws Exception {
    startGateway();
    List<String> missing = new ArrayList<>();
    try (DatabaseConsole dba = DatabaseConsole.of(dataDir); Connection c = dba.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = "
            + "c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'S') ORDER BY 1")) {
      while (rs.next()) {
        String name = rs.getString(1);
        boolean table = rs.getString(2).equals("r");
        try (Statement check = c.createStatement(); ResultSet r = check.executeQuery(table
            ? "SELECT has_table_privilege('hmb_app', '" + name + "', 'SELECT')"
            : "SELECT has_sequence_privilege('hmb_app', '" + name + "', 'USAGE')")) {
          r.next();
          if (!r.getBoolean(1)) {
            missing.add(name);
          }
        }
      }
    }
    assertThat(missing).as("tables and sequences hmb_app has no rights on (grant them in the migration)").isEmpty();
  }

  /**
   * A data directory made before passwords: zonky started the old way (initdb -A trust, no password file),
   * V1..V8 applied as postgres, a row in it. The gateway starts on it, sets the passwords, rewrites
   * pg_hba.conf and keeps the row.
   */
  @Test
  void aDataDirectoryFromBeforePasswordsIsUpgraded() throws Exception {
    Path cluster = dataDir.resolve("postgres");
    Files.createDirectories(cluster);
    try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(cluster).setCleanDataDirectory(false)
        .setOverrideWorkingDirectory(PrivateDirectory.binaries().toFile())
        .setServerConfig("unix_socket_directories", "").start()) {
      Flyway.configure().dataSource(old.getPostgresDatabase()).locations("classpath:db/migration").target("8").load()
          .migrate();
      try (Connection c = old.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
        s.execute("INSERT INTO participant(code, role, admdvs, display_name) VALUES ('INS-OLD', 'INSURER', '210200', 'x')");
      }
    }
    assertThat(Files.readString(cluster.resolve("pg_hba.conf"))).contains("trust");
    assertThat(Files.exists(DatabaseCredentials.of(cluster).directory())).isFalse();

    startGateway();
    assertThatThrownBy(() -> connect(DatabaseCredentials.SUPERUSER, null).close()).isInstanceOf(SQLException.class);
    assertThat(Files.readString(cluster.resolve("pg_hba.conf"))).doesNotContain("trust");
    assertThat(gateway.admin().registry().participant("INS-OLD")).as("the row from before").isPresent();
    try (Connection c = connect(DatabaseCredentials.APP_ROLE, password(DatabaseCredentials.APP_ROLE));
        Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.execute("COPY (SELECT 1) TO PROGRAM 'true'")).isInstanceOf(SQLException.class);
    }
    gateway.close();
    gateway = null;
    startGateway(); // and the upgraded directory starts again like any other
    assertThat(gateway.admin().registry().participant("INS-OLD")).isPresent();
  }

  /**
   * A server of the operator's own (--jdbc-url), set up with the SQL of docs/security.md, "Database roles":
   * the owner migrates, hmb_app serves with V9's rights, and a node given no owner starts on the migrated
   * schema. (zonky's test server trusts every login; the roles' rights are what is checked here.)
   */
  @Test
  void onAServerTheOwnerMigratesAndTheAppRoleServes(@TempDir Path serverDir, @TempDir Path nodeDir) throws Exception {
    try (EmbeddedPostgres server = EmbeddedPostgres.builder().setDataDirectory(serverDir.resolve("pg"))
        .setOverrideWorkingDirectory(PrivateDirectory.binaries().toFile())
        .setServerConfig("unix_socket_directories", "").start()) {
      try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE ROLE hmb_owner LOGIN PASSWORD 'owner-secret'");
        s.execute("CREATE ROLE hmb_app LOGIN PASSWORD 'app-secret'");
        s.execute("CREATE DATABASE hmb OWNER hmb_owner");
      }
      try (Connection c = server.getDatabase("postgres", "hmb").getConnection(); Statement s = c.createStatement()) {
        s.execute("ALTER SCHEMA public OWNER TO hmb_owner");
        s.execute("REVOKE ALL ON DATABASE hmb FROM PUBLIC");
        s.execute("GRANT CONNECT ON DATABASE hmb TO hmb_app");
        s.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
      }
      String url = "jdbc:postgresql://localhost:" + server.getPort() + "/hmb";
      try (Gateway first = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(nodeDir).jdbcUrl(url)
          .jdbcUser("hmb_app").jdbcPassword("app-secret").jdbcOwner("hmb_owner", "owner-secret"), Clock.systemUTC())) {
        assertThat(first.admin().registry().participants()).isEmpty();
      }
      try (Connection c = server.getDatabase("hmb_app", "hmb").getConnection(); Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery("SELECT tableowner FROM pg_tables WHERE tablename = 'audit_event'")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("hmb_owner");
        }
        assertThatThrownBy(() -> s.execute("CREATE TABLE planted (x int)")).hasMessageContaining("permission denied");
        assertThatThrownBy(() -> s.execute("ALTER TABLE audit_event DISABLE TRIGGER ALL"))
            .hasMessageContaining("must be owner");
      }
      // A node without the owner's password: nothing to migrate, so it serves.
      try (Gateway second = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(nodeDir).jdbcUrl(url)
          .jdbcUser("hmb_app").jdbcPassword("app-secret"), Clock.systemUTC())) {
        assertThat(second.admin().registry().participants()).isEmpty();
      }
    }
  }

  /** As the local user nobody (uid 65534) with psql, the way the attack was made. Needs root, setpriv and psql. */
  @Test
  void anotherLocalUserIsRefused() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
        "skipped: needs root, to run psql as uid 65534 with setpriv");
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "skipped: no /usr/bin/setpriv");
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/psql")),
        "skipped: no /usr/bin/psql (apt-get install -y postgresql-client)");
    startGateway();
    for (String role : List.of(DatabaseCredentials.SUPERUSER, DatabaseCredentials.APP_ROLE)) {
      ProcessBuilder pb = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
          "/usr/bin/psql", "-w", "-h", "127.0.0.1", "-p", Integer.toString(port()), "-U", role, "-d", "postgres",
          "-c", "COPY (SELECT 1) TO PROGRAM 'id'").redirectErrorStream(true);
      pb.environment().remove("PGPASSWORD");
      pb.environment().put("HOME", "/nonexistent");
      Process psql = pb.start();
      assertThat(psql.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String out = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(psql.exitValue()).as(out).isNotZero();
      assertThat(out).as(role).containsAnyOf("no password supplied", "password authentication failed");
    }
  }
}
