package io.hmb.gateway.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.StatusRuntimeException;
import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.Role;
import io.hmb.api.v1.SettlementData;
import io.hmb.api.v1.SettlementServiceGrpc;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.delivery.DeliveryPolicy;
import io.hmb.gateway.registry.Product;
import io.hmb.gateway.support.TestEndpoint;
import io.hmb.gateway.support.TestParty;
import io.hmb.testing.Await;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's PostgreSQL (a separate server, reached by JDBC URL as in production) is stopped and
 * started again while settlement messages stream in. Callers see GATEWAY_UNAVAILABLE and retry with
 * the same idempotency key; afterwards every acknowledged message is delivered once.
 */
class PostgresRestartTest {
  @TempDir Path gatewayDir;
  @TempDir Path postgresDir;

  @Test
  void postgresRestartedUnderLoad() throws Exception {
    int pgPort;
    try (ServerSocket s = new ServerSocket(0)) {
      pgPort = s.getLocalPort();
    }
    EmbeddedPostgres postgres = start(pgPort);
    DeliveryPolicy quick = new DeliveryPolicy(100, Duration.ofMillis(50), Duration.ofMillis(500),
        Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMillis(50), 20);
    Gateway gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(gatewayDir)
        .jdbcUrl(postgres.getJdbcUrl("postgres", "postgres")).jdbcUser("postgres").deliveryPolicy(quick),
        Clock.systemUTC());
    TestParty lead = TestParty.register(gateway, "INSURER-LEAD-210200", Role.ROLE_INSURER, "210200", Optional.empty());
    TestParty bureau = TestParty.register(gateway, "BUREAU-210200", Role.ROLE_BUREAU, "210200", Optional.empty());
    TestEndpoint insurer = new TestEndpoint(lead, gateway);
    gateway.admin().setEndpoint(lead.code, Optional.of(insurer.address()));
    gateway.admin().addProduct(new Product("dalian-2025-basic", "210200", lead.code,
        LocalDate.of(2025, 11, 1), LocalDate.of(2026, 10, 31), List.of(new Product.Member(lead.code, 10000))));
    insurer.start();

    List<String> acked = new ArrayList<>();
    AtomicInteger refusals = new AtomicInteger();
    for (int i = 0; i < 40; i++) {
      if (i == 15) {
        postgres.close(); // the database goes away under load
        Thread.sleep(500); // how long the database stays away: the fault's duration, not synchronisation
        postgres = start(pgPort);
      }
      acked.add(submitUntilAccepted(bureau, lead, "pg-" + i, refusals).getMessageId());
    }
    Await.within(Await.DEFAULT_TIMEOUT, () -> insurer.processed.containsAll(acked)); // the row says what was missing
    int delivered = (int) acked.stream().filter(insurer.processed::contains).count();
    FaultRow row = new FaultRow("PostgreSQL stopped and restarted under load", "40 settlements", 40, acked.size(),
        delivered, insurer.processed.size() - new HashSet<>(insurer.processed).size(), acked.size() - delivered,
        insurer.rawDeliveries.stream().filter(acked::contains).count() - delivered);
    row.publish();
    assertThat(row.lost()).isZero();
    assertThat(row.duplicates()).isZero();
    assertThat(acked).doesNotHaveDuplicates();

    insurer.close();
    lead.close();
    bureau.close();
    gateway.close();
    postgres.close();
  }

  private EmbeddedPostgres start(int port) throws Exception {
    return EmbeddedPostgres.builder().setPort(port).setDataDirectory(postgresDir).setCleanDataDirectory(false).start();
  }

  private static Acceptance submitUntilAccepted(TestParty bureau, TestParty lead, String key, AtomicInteger refusals)
      throws InterruptedException {
    SettlementData data = SettlementData.newBuilder().setSettlementId(key).build();
    for (int attempt = 0; attempt < 100; attempt++) {
      try {
        return SettlementServiceGrpc.newBlockingStub(bureau.channel).withDeadlineAfter(10, TimeUnit.SECONDS)
            .submitSettlement(bureau.seal(bureau.header(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, lead, "210200")
                .setIdempotencyKey(key), data, lead));
      } catch (StatusRuntimeException e) {
        refusals.incrementAndGet();
        Thread.sleep(200); // a client's retry delay, not synchronisation
      }
    }
    throw new AssertionError("not accepted after 100 attempts: " + key);
  }
}
