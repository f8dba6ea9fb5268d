package io.hmb.gateway.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.Role;
import io.hmb.api.v1.SettlementData;
import io.hmb.api.v1.SettlementServiceGrpc;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.registry.Product;
import io.hmb.gateway.support.TestEndpoint;
import io.hmb.gateway.support.TestParty;
import io.hmb.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code --jdbc-url} path end to end against Debian's PostgreSQL server, as a province runs it: TLS to the
 * database with the server's name verified ({@code sslmode=verify-full}, the test's own CA), the schema owner
 * migrating and the serving role (no DDL, no superuser) serving, plain TCP refused by the server.
 */
class RealPostgresServerTest {
  @TempDir Path gatewayDir;
  private ReplicatedPostgres postgres;
  private Path clusterRoot;

  @AfterEach
  void stop() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
    if (clusterRoot != null) {
      HaFiles.deleteTree(clusterRoot);
    }
  }

  @Test
  void gatewayServesFromARealServerOverVerifiedTlsAsTheServingRole() throws Exception {
    Optional<Path> bin = ReplicatedPostgres.debianBinaries();
    assumeTrue(bin.isPresent(), ReplicatedPostgres.ABSENT);
    clusterRoot = Files.createTempDirectory("hmb-pg-");
    postgres = ReplicatedPostgres.start(bin.get(), clusterRoot, false);

    GatewayConfig config = new GatewayConfig().port(0).metricsPort(-1).dataDir(gatewayDir)
        .jdbcUrl(postgres.jdbcUrl()).jdbcUser(ReplicatedPostgres.APP).jdbcPassword(postgres.appPassword)
        .jdbcOwner(ReplicatedPostgres.OWNER, postgres.ownerPassword);
    try (Gateway gateway = Gateway.start(config, Clock.systemUTC());
        TestParty lead = TestParty.register(gateway, "INSURER-LEAD-210200", Role.ROLE_INSURER, "210200", Optional.empty());
        TestParty bureau = TestParty.register(gateway, "BUREAU-210200", Role.ROLE_BUREAU, "210200", Optional.empty());
        TestEndpoint insurer = new TestEndpoint(lead, gateway)) {
      gateway.admin().setEndpoint(lead.code, Optional.of(insurer.address()));
      gateway.admin().addProduct(new Product("dalian-2025-basic", "210200", lead.code, LocalDate.of(2025, 11, 1),
          LocalDate.of(2026, 10, 31), List.of(new Product.Member(lead.code, 10000))));
      insurer.start();

      Acceptance accepted = SettlementServiceGrpc.newBlockingStub(bureau.channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .submitSettlement(bureau.seal(bureau.header(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, lead, "210200")
              .setIdempotencyKey("real-server-1"), SettlementData.newBuilder().setSettlementId("S-1").build(), lead));
      Await.until("the settlement pushed to the insurer", () -> insurer.processed.contains(accepted.getMessageId()));

      // Every connection the gateway holds is the serving role's, and every one is TLS.
      String sessions = postgres.primary.sql("postgres", "SELECT string_agg(DISTINCT a.usename || ':' || s.ssl, ',') "
          + "FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) WHERE a.datname = 'hmb'");
      assertThat(sessions).isEqualTo(ReplicatedPostgres.APP + ":true");
      // The owner made the tables; the serving role may not change them.
      assertThat(postgres.primary.sql("hmb", "SELECT tableowner FROM pg_tables WHERE tablename = 'message'"))
          .isEqualTo(ReplicatedPostgres.OWNER);
      assertThat(postgres.primary.sql("hmb", "SELECT has_table_privilege('" + ReplicatedPostgres.APP
          + "', 'message', 'TRUNCATE')")).isEqualTo("f");
    }

    // The server refuses what the gateway does not use (plain TCP), and the driver a server our CA did not issue.
    Properties plain = new Properties();
    plain.setProperty("user", ReplicatedPostgres.APP);
    plain.setProperty("password", postgres.appPassword);
    String plainUrl = postgres.jdbcUrl().replace("sslmode=verify-full", "sslmode=disable");
    assertThatThrownBy(() -> DriverManager.getConnection(plainUrl, plain).close())
        .hasMessageContaining("pg_hba.conf");
    Path otherCa = gatewayDir.resolve("tls/ca.crt"); // the gateway's own CA: it never issued the database's certificate
    String untrusted = postgres.jdbcUrl().replace(postgres.caFile.toString(), otherCa.toString());
    assertThatThrownBy(() -> DriverManager.getConnection(untrusted, plain).close())
        .hasMessageContaining("SSL error");
  }
}
