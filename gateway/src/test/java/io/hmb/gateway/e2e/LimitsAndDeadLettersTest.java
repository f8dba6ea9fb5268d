package io.hmb.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.hmb.api.Errors;
import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.EligibilityServiceGrpc;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.Role;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.api.v1.SettlementData;
import io.hmb.api.v1.SettlementServiceGrpc;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.delivery.DeliveryPolicy;
import io.hmb.gateway.registry.Product;
import io.hmb.gateway.support.TestEndpoint;
import io.hmb.gateway.support.TestParty;
import io.hmb.testing.Await;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-participant rate limits, and a message that exhausts its attempts, is dead-lettered and re-driven. */
class LimitsAndDeadLettersTest {
  @TempDir static Path dataDir;
  static Gateway gateway;
  static TestParty bureau;
  static TestParty hospital;
  static TestParty lead;
  static TestEndpoint insurer;

  @BeforeAll
  static void start() throws Exception {
    DeliveryPolicy twoAttempts = new DeliveryPolicy(2, Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMillis(50), 20);
    gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir).rateLimit(5, 3)
        .deliveryPolicy(twoAttempts), Clock.systemUTC());
    lead = TestParty.register(gateway, "INSURER-LEAD-210200", Role.ROLE_INSURER, "210200", Optional.empty());
    bureau = TestParty.register(gateway, "BUREAU-210200", Role.ROLE_BUREAU, "210200", Optional.empty());
    hospital = TestParty.register(gateway, "HOSPITAL-210200-01", Role.ROLE_HOSPITAL, "210200", Optional.empty());
    insurer = new TestEndpoint(lead, gateway); // registered but not started: the insurer is down
    gateway.admin().setEndpoint(lead.code, Optional.of(insurer.address()));
    gateway.admin().addProduct(new Product("dalian-2025-basic", "210200", lead.code,
        LocalDate.of(2025, 11, 1), LocalDate.of(2026, 10, 31), List.of(new Product.Member(lead.code, 10000))));
  }

  @AfterAll
  static void stop() throws Exception {
    insurer.close();
    for (TestParty p : List.of(bureau, hospital, lead)) {
      p.close();
    }
    gateway.close();
  }

  @Test
  void aParticipantOverItsRateLimitIsToldWhenToComeBack() throws Exception {
    // Sealed beforehand and sent at once: on a loaded machine, sealing and verifying one call after the
    // other can take longer than the bucket needs to refill, and the calls would never be over the limit.
    List<SealedEnvelope> envelopes = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      envelopes.add(hospital.seal(hospital.header(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, lead, "210200"),
          CoverageQuery.getDefaultInstance(), lead));
    }
    var stub = EligibilityServiceGrpc.newFutureStub(hospital.channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    List<Future<SealedEnvelope>> calls = new ArrayList<>();
    for (SealedEnvelope envelope : envelopes) {
      calls.add(stub.checkCoverage(envelope));
    }
    StatusRuntimeException limited = null;
    for (Future<SealedEnvelope> call : calls) {
      try {
        call.get(60, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof StatusRuntimeException refused
            && Errors.reason(refused).orElse(null) == ErrorReason.RATE_LIMITED && limited == null) {
          limited = refused;
        }
      }
    }
    assertThat(limited).as("the 4th call within a second exceeds a burst of 3").isNotNull();
    assertThat(limited.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(Errors.retryDelay(limited).orElseThrow()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void undeliverableMessageIsDeadLetteredThenRedrivenByTheOperator() throws Exception {
    Acceptance a = SettlementServiceGrpc.newBlockingStub(bureau.channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .submitSettlement(bureau.seal(bureau.header(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, lead, "210200")
            .setIdempotencyKey("dead-1"), SettlementData.newBuilder().setSettlementId("S-DEAD").build(), lead));
    Await.until("the settlement among the dead letters", () -> deadLetterIds().contains(a.getMessageId()));
    assertThat(gateway.admin().deadLetters(100)).singleElement().satisfies(d -> {
      assertThat(d.messageId()).isEqualTo(a.getMessageId());
      assertThat(d.attempts()).isEqualTo(2);
    });

    insurer.start(); // the insurer is back; nothing happens until an operator re-drives
    Thread.sleep(300); // a negative check: no delivery in this time; not synchronisation
    assertThat(insurer.processed).doesNotContain(a.getMessageId());
    assertThat(gateway.admin().redrive(a.getMessageId())).isEqualTo(1);
    Await.until("the re-driven settlement at the insurer", () -> insurer.processed.contains(a.getMessageId()));
    // The insurer has it before the gateway has committed the acknowledgement: wait for that too.
    Await.until("the gateway's record of the acknowledgement",
        () -> CoreEndToEndTestAudit.events(gateway, a.getMessageId()).contains("ACKNOWLEDGED"));
    assertThat(gateway.admin().deadLetters(100)).isEmpty();
    assertThat(CoreEndToEndTestAudit.events(gateway, a.getMessageId()))
        .containsSubsequence("ACCEPTED", "DELIVERY_FAILED", "DEAD_LETTERED", "REDRIVEN", "ACKNOWLEDGED");
  }

  private static List<String> deadLetterIds() {
    try {
      return gateway.admin().deadLetters(100).stream().map(d -> d.messageId()).toList();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
