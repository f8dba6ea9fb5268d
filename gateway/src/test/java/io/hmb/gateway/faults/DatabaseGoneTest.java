package io.hmb.gateway.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.hmb.api.Errors;
import io.hmb.api.v1.AuditLogServiceGrpc;
import io.hmb.api.v1.DirectoryServiceGrpc;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.GetCheckpointRequest;
import io.hmb.api.v1.GetParticipantRequest;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.Role;
import io.hmb.api.v1.SettlementData;
import io.hmb.api.v1.SettlementServiceGrpc;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.registry.Product;
import io.hmb.gateway.support.TestParty;
import io.hmb.security.tls.MutualTls;
import io.hmb.testing.Await;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While the gateway's PostgreSQL is stopped, every hmb.v1 call is refused UNAVAILABLE with reason
 * GATEWAY_UNAVAILABLE and the configured RetryInfo (not UNKNOWN "Application error", never an
 * acknowledgement), with a message that names no JDBC URL or password; once the database is back the same
 * gateway, not restarted, accepts calls again.
 */
class DatabaseGoneTest {
  private static final Duration RETRY = Duration.ofMillis(1500);
  private static final String PASSWORD = "pw-never-shown-7431";

  @TempDir Path gatewayDir;
  @TempDir Path postgresDir;

  private EmbeddedPostgres startPostgres(int port) throws Exception {
    return EmbeddedPostgres.builder().setPort(port).setDataDirectory(postgresDir).setCleanDataDirectory(false)
        .setServerConfig("unix_socket_directories", "").start();
  }

  @Test
  void everyCallIsGatewayUnavailableWhileTheDatabaseIsGoneAndServedAgainAfter() throws Exception {
    int pgPort;
    try (ServerSocket s = new ServerSocket(0)) {
      pgPort = s.getLocalPort();
    }
    EmbeddedPostgres postgres = startPostgres(pgPort);
    // The embedded server trusts local logins, so any password works; it must never reach a caller.
    Gateway gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(gatewayDir)
        .jdbcUrl(postgres.getJdbcUrl("postgres", "postgres")).jdbcUser("postgres").jdbcPassword(PASSWORD)
        .unavailableRetryDelay(RETRY), Clock.systemUTC());
    TestParty lead = TestParty.register(gateway, "INSURER-LEAD-210200", Role.ROLE_INSURER, "210200", Optional.empty());
    TestParty bureau = TestParty.register(gateway, "BUREAU-210200", Role.ROLE_BUREAU, "210200", Optional.empty());
    gateway.admin().addProduct(new Product("dalian-2025-basic", "210200", lead.code,
        LocalDate.of(2025, 11, 1), LocalDate.of(2026, 10, 31), List.of(new Product.Member(lead.code, 10000))));
    ManagedChannel anonymous = Grpc.newChannelBuilder("localhost:" + gateway.port(),
        MutualTls.anonymousToGateway(gateway.admin().trustBundle())).build();
    try {
      assertThat(submit(bureau, lead, "before").getMessageId()).isNotEmpty();

      postgres.close();
      Await.until("health NOT_SERVING with the database gone", Duration.ofSeconds(30),
          () -> health(anonymous) == ServingStatus.NOT_SERVING);
      Map<String, Supplier<Object>> calls = Map.of(
          "SettlementService/SubmitSettlement", () -> submit(bureau, lead, "while-gone"),
          "DirectoryService/GetParticipant", () -> DirectoryServiceGrpc.newBlockingStub(bureau.channel)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .getParticipant(GetParticipantRequest.newBuilder().setCode(lead.code).build()),
          "AuditLogService/GetCheckpoint", () -> AuditLogServiceGrpc.newBlockingStub(bureau.channel)
              .withDeadlineAfter(10, TimeUnit.SECONDS).getCheckpoint(GetCheckpointRequest.getDefaultInstance()));
      for (Map.Entry<String, Supplier<Object>> call : calls.entrySet()) {
        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class, call.getValue()::get);
        assertThat(refused).as(call.getKey() + " while the database is gone").isNotNull();
        assertThat(refused.getStatus().getCode()).as(call.getKey()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(Errors.reason(refused)).as(call.getKey()).contains(ErrorReason.GATEWAY_UNAVAILABLE);
        assertThat(Errors.retryDelay(refused)).as(call.getKey()).contains(RETRY);
        assertThat(refused.getStatus().getDescription()).as(call.getKey()).contains("database is unreachable")
            .doesNotContain("jdbc").doesNotContain(PASSWORD).doesNotContain(Integer.toString(pgPort));
      }

      postgres = startPostgres(pgPort);
      Await.until("a settlement accepted again, by the same gateway", Duration.ofSeconds(60), () -> {
        try {
          return !submit(bureau, lead, "after").getMessageId().isEmpty();
        } catch (StatusRuntimeException stillDown) {
          assertThat(Errors.reason(stillDown)).as("while the database comes back")
              .contains(ErrorReason.GATEWAY_UNAVAILABLE);
          return false;
        }
      });
      assertThat(DirectoryServiceGrpc.newBlockingStub(bureau.channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .getParticipant(GetParticipantRequest.newBuilder().setCode(lead.code).build()).getCode()).isEqualTo(lead.code);
    } finally {
      anonymous.shutdownNow();
      lead.close();
      bureau.close();
      gateway.close();
      postgres.close();
    }
  }

  private static ServingStatus health(ManagedChannel channel) {
    return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance()).getStatus();
  }

  private static io.hmb.api.v1.Acceptance submit(TestParty bureau, TestParty lead, String key) {
    return SettlementServiceGrpc.newBlockingStub(bureau.channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .submitSettlement(bureau.seal(bureau.header(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, lead, "210200")
            .setIdempotencyKey(key), SettlementData.newBuilder().setSettlementId(key).build(), lead));
  }
}
