package io.hmb.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.security.tls.MutualTls;
import io.hmb.testing.Await;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health says SERVING only when it is true: not before startup is done (the caller's seeding included),
 * not while the database is gone, and again once it is back; for the whole server and each service.
 */
class HonestHealthTest {
  @TempDir Path gatewayDir;
  @TempDir Path postgresDir;

  private EmbeddedPostgres startPostgres(int port) throws Exception {
    return EmbeddedPostgres.builder().setPort(port).setDataDirectory(postgresDir).setCleanDataDirectory(false)
        .setServerConfig("unix_socket_directories", "").start();
  }

  private static ServingStatus status(ManagedChannel channel, String service) {
    return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
  }

  @Test
  void notServingBeforeReadyNorWhileTheDatabaseIsGone() throws Exception {
    int pgPort;
    try (ServerSocket s = new ServerSocket(0)) {
      pgPort = s.getLocalPort();
    }
    EmbeddedPostgres postgres = startPostgres(pgPort);
    Gateway gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(gatewayDir)
        .jdbcUrl(postgres.getJdbcUrl("postgres", "postgres")).jdbcUser("postgres").deferReadiness(true), Clock.systemUTC());
    ManagedChannel channel = Grpc.newChannelBuilder("localhost:" + gateway.port(),
        MutualTls.anonymousToGateway(gateway.admin().trustBundle())).build();
    try {
      assertThat(status(channel, "")).as("before startup is done").isEqualTo(ServingStatus.NOT_SERVING);
      assertThat(status(channel, "hmb.v1.SettlementService")).isEqualTo(ServingStatus.NOT_SERVING);
      gateway.ready();
      assertThat(status(channel, "")).isEqualTo(ServingStatus.SERVING);
      assertThat(status(channel, "hmb.v1.SettlementService")).isEqualTo(ServingStatus.SERVING);

      postgres.close();
      Await.until("NOT_SERVING with the database gone", Duration.ofSeconds(20),
          () -> status(channel, "") == ServingStatus.NOT_SERVING);
      assertThat(status(channel, "hmb.v1.EligibilityService")).isEqualTo(ServingStatus.NOT_SERVING);

      postgres = startPostgres(pgPort);
      Await.until("SERVING with the database back", Duration.ofSeconds(20),
          () -> status(channel, "") == ServingStatus.SERVING);
    } finally {
      channel.shutdownNow();
      gateway.close();
      postgres.close();
    }
  }
}
