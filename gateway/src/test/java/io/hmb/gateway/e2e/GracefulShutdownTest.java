package io.hmb.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.CoverageDecision;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.EligibilityServiceGrpc;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.Role;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.api.v1.SettlementData;
import io.hmb.api.v1.SettlementServiceGrpc;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.registry.Product;
import io.hmb.gateway.support.DatabaseConsole;
import io.hmb.gateway.support.TestEndpoint;
import io.hmb.gateway.support.TestParty;
import io.hmb.testing.Await;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping drains in-flight calls, refuses new ones, and leaves accepted messages to be delivered after restart. */
class GracefulShutdownTest {
  @TempDir Path dataDir;

  @Test
  void inFlightCallsFinishNewCallsAreRefusedAndTheOutboxSurvives() throws Exception {
    GatewayConfig config = new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir).shutdownGrace(Duration.ofSeconds(30));
    Gateway gateway = Gateway.start(config, Clock.systemUTC());
    int port = gateway.port();
    TestParty lead = TestParty.register(gateway, "INSURER-LEAD-210200", Role.ROLE_INSURER, "210200", Optional.empty());
    TestParty bureau = TestParty.register(gateway, "BUREAU-210200", Role.ROLE_BUREAU, "210200", Optional.empty());
    TestParty coInsurer = TestParty.register(gateway, "INSURER-CO-210200", Role.ROLE_INSURER, "210200", Optional.empty());
    TestEndpoint slowInsurer = new TestEndpoint(lead, gateway);
    gateway.admin().setEndpoint(lead.code, Optional.of(slowInsurer.address()));
    gateway.admin().addProduct(new Product("dalian-2025-basic", "210200", lead.code,
        LocalDate.of(2025, 11, 1), LocalDate.of(2026, 10, 31), List.of(new Product.Member(lead.code, 7000), new Product.Member(coInsurer.code, 3000))));
    // The insurer holds its answer until the test has seen the gateway refuse new calls: the answer is
    // still on its way when the gateway is told to stop.
    CountDownLatch atTheInsurer = new CountDownLatch(1);
    CountDownLatch answerNow = new CountDownLatch(1);
    slowInsurer.onExchange(request -> {
      try {
        atTheInsurer.countDown();
        answerNow.await(30, TimeUnit.SECONDS);
        var opened = lead.open(request, bureau, CoverageQuery.parser());
        return lead.seal(lead.header(MessageType.MESSAGE_TYPE_COVERAGE_DECISION, bureau, "210200")
            .setCorrelationId(opened.header().messageId()), CoverageDecision.newBuilder().setCovered(true).build(), bureau);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    slowInsurer.start();

    // Accepted for an inbox-only co-insurer that is not subscribed: it must survive the stop undelivered.
    Acceptance pending = SettlementServiceGrpc.newBlockingStub(bureau.channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .submitSettlement(bureau.seal(bureau.header(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, coInsurer, "210200")
            .setIdempotencyKey("before-stop"), SettlementData.newBuilder().setSettlementId("S-STOP").build(), coInsurer));

    SealedEnvelope query = bureau.seal(bureau.header(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, lead, "210200"),
        CoverageQuery.getDefaultInstance(), lead);
    CompletableFuture<SealedEnvelope> inFlight = CompletableFuture.supplyAsync(() ->
        EligibilityServiceGrpc.newBlockingStub(bureau.channel).withDeadlineAfter(30, TimeUnit.SECONDS).checkCoverage(query));
    CompletableFuture<Void> stopping;
    try {
      assertThat(atTheInsurer.await(30, TimeUnit.SECONDS)).as("the pass-through call reached the insurer").isTrue();
      stopping = CompletableFuture.runAsync(() -> {
        try {
          gateway.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      // The server has stopped accepting once even a health check (which needs no certificate) is refused.
      Await.until("the stopping gateway to refuse new calls", () -> refusesCalls(bureau));
      try {
        EligibilityServiceGrpc.newBlockingStub(bureau.channel).withDeadlineAfter(3, TimeUnit.SECONDS).checkCoverage(
            bureau.seal(bureau.header(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, lead, "210200"), CoverageQuery.getDefaultInstance(), lead));
        throw new AssertionError("a new call was accepted during shutdown");
      } catch (StatusRuntimeException refused) {
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      }
    } finally {
      answerNow.countDown();
    }
    SealedEnvelope answer = inFlight.get(30, TimeUnit.SECONDS);
    assertThat(bureau.open(answer, lead, CoverageDecision.parser()).payload().getCovered()).isTrue();
    stopping.get(60, TimeUnit.SECONDS);

    // Restart on the same data directory: the message accepted before the stop waits, whole, in the outbox.
    try (Gateway again = Gateway.start(new GatewayConfig().port(port).metricsPort(-1).dataDir(dataDir), Clock.systemUTC());
         DatabaseConsole sql = DatabaseConsole.of(dataDir);
         var c = sql.connect();
         var s = c.prepareStatement("SELECT state, attempts, length(envelope) FROM message WHERE message_id = ?")) {
      s.setString(1, pending.getMessageId());
      try (var rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("ACCEPTED");
        assertThat(rs.getInt(2)).isZero();
        assertThat(rs.getInt(3)).isPositive();
      }
    }
    slowInsurer.close();
    for (TestParty p : List.of(lead, bureau, coInsurer)) {
      p.close();
    }
  }

  private static boolean refusesCalls(TestParty caller) {
    try {
      HealthGrpc.newBlockingStub(caller.channel).withDeadlineAfter(3, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance());
      return false;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode() == Status.Code.UNAVAILABLE;
    }
  }
}
