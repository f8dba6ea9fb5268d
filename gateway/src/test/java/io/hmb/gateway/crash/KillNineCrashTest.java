package io.hmb.gateway.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.DeductionReceipt;
import io.hmb.api.v1.DeductionRequest;
import io.hmb.api.v1.DirectoryServiceGrpc;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.PremiumServiceGrpc;
import io.hmb.api.v1.ResolveProductRequest;
import io.hmb.api.v1.Role;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.api.v1.SettlementData;
import io.hmb.api.v1.SettlementServiceGrpc;
import io.hmb.gateway.admin.GatewayAdmin;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.registry.Product;
import io.hmb.gateway.support.TestEndpoint;
import io.hmb.gateway.support.TestParty;
import io.hmb.testing.Await;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the gateway process with SIGKILL, repeatedly, while an insurer streams deductions and a bureau
 * streams settlement data through it, and restarts it on the same data directory each time. Then:
 * every acknowledged settlement message was processed by the insurer exactly once, every
 * acknowledged deduction was executed by the bureau exactly once with the receipt the insurer got,
 * and the audit chain is intact. Clients behave as the SDK does: on any failure they retry the same
 * operation (same idempotency key, new envelope) until they get an answer.
 */
class KillNineCrashTest {
  static final String DALIAN = "210200";
  static final int KILLS = 3;

  @TempDir Path dataDir;
  Process gateway;

  /** Whatever happened in the test, no gateway child (or its PostgreSQL) outlives it. */
  @org.junit.jupiter.api.AfterEach
  void killChild() throws Exception {
    GatewayProcess.killAndCleanUp(gateway, dataDir);
  }

  @Test
  void acknowledgedMessagesAndDeductionsHappenExactlyOnceAcrossKillNine() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    startGateway(port);
    Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
    Map<String, DeductionReceipt> bureauRecord = new ConcurrentHashMap<>();
    TestParty lead;
    TestParty bureau;
    TestEndpoint leadEndpoint;
    TestEndpoint bureauEndpoint;
    try (GatewayAdmin admin = GatewayAdmin.open(new GatewayConfig().dataDir(dataDir), Clock.systemUTC())) {
      lead = TestParty.register(admin, port, "INSURER-LEAD-210200", Role.ROLE_INSURER, DALIAN, Optional.empty());
      bureau = TestParty.register(admin, port, "BUREAU-210200", Role.ROLE_BUREAU, DALIAN, Optional.empty());
      leadEndpoint = new TestEndpoint(lead, admin.trustBundle());
      bureauEndpoint = new TestEndpoint(bureau, admin.trustBundle());
      admin.setEndpoint(lead.code, Optional.of(leadEndpoint.address()));
      admin.setEndpoint(bureau.code, Optional.of(bureauEndpoint.address()));
      admin.addProduct(new Product("dalian-2025-basic", DALIAN, lead.code, LocalDate.of(2025, 11, 1),
          LocalDate.of(2026, 10, 31), List.of(new Product.Member(lead.code, 10000))));
    }
    TestParty insurer = lead;
    TestParty theBureau = bureau;
    bureauEndpoint.onExchange(request -> {
      try {
        var opened = theBureau.open(request, insurer, DeductionRequest.parser());
        String key = opened.header().idempotencyKey();
        DeductionReceipt receipt = bureauRecord.computeIfAbsent(key, k -> {
          executions.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
          return DeductionReceipt.newBuilder().setDeductionId("D-" + k).setState(DeductionReceipt.State.STATE_POSTED)
              .setAmountFen(opened.payload().getAmountFen()).setIdempotencyKey(k).build();
        });
        return theBureau.seal(theBureau.header(MessageType.MESSAGE_TYPE_DEDUCTION_RECEIPT, insurer, DALIAN)
            .setCorrelationId(opened.header().messageId()), receipt, insurer);
      } catch (Exception e) {
        throw Status.INTERNAL.withDescription(e.toString()).asRuntimeException();
      }
    });
    leadEndpoint.start();
    bureauEndpoint.start();
    // The child caches the registry (2 s): wait until its snapshot has the product, registered last.
    Await.until("the child gateway to know the product and its participants", () -> knowsProduct(insurer));

    List<String> acknowledgedSettlements = new CopyOnWriteArrayList<>();
    Map<String, DeductionReceipt> acknowledgedDeductions = new ConcurrentHashMap<>();
    AtomicBoolean trafficDone = new AtomicBoolean();
    AtomicInteger failures = new AtomicInteger();
    Thread traffic = new Thread(() -> {
      for (int i = 0; i < 60; i++) {
        String dKey = "crash-d-" + i;
        DeductionRequest payload = DeductionRequest.newBuilder().setProductCode("dalian-2025-basic").setAmountFen(8900 + i).build();
        acknowledgedDeductions.put(dKey, untilAnswered(failures, () -> {
          SealedEnvelope answer = PremiumServiceGrpc.newBlockingStub(insurer.channel).withDeadlineAfter(3, TimeUnit.SECONDS)
              .requestDeduction(insurer.seal(insurer.header(MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST, theBureau, DALIAN)
                  .setIdempotencyKey(dKey).setProductCode("dalian-2025-basic"), payload, theBureau));
          return insurer.open(answer, theBureau, DeductionReceipt.parser()).payload();
        }));
        String sKey = "crash-s-" + i;
        SettlementData data = SettlementData.newBuilder().setSettlementId("S-" + i).setMedicalFeeTotalFen(100_000 + i).build();
        Acceptance accepted = untilAnswered(failures, () -> SettlementServiceGrpc.newBlockingStub(theBureau.channel)
            .withDeadlineAfter(3, TimeUnit.SECONDS).submitSettlement(theBureau.seal(
                theBureau.header(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, insurer, DALIAN).setIdempotencyKey(sKey), data, insurer)));
        acknowledgedSettlements.add(accepted.getMessageId());
      }
      trafficDone.set(true);
    }, "crash-traffic");
    traffic.start();

    for (int kill = 0; kill < KILLS && !trafficDone.get(); kill++) {
      // Kill only once the (re)started gateway has served traffic, a little more each time, so each
      // SIGKILL lands mid-stream however slow the machine is.
      int servedBefore = acknowledgedSettlements.size();
      int more = 3 + kill;
      Await.until("traffic through the gateway before kill " + (kill + 1), Duration.ofMinutes(2),
          () -> trafficDone.get() || acknowledgedSettlements.size() >= servedBefore + more);
      if (trafficDone.get()) {
        break;
      }
      gateway.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown hook, no cleanup
      startGateway(port);
    }
    traffic.join(TimeUnit.MINUTES.toMillis(3));
    assertThat(trafficDone).as("traffic finished").isTrue();

    // Every acknowledged settlement reaches the insurer, once.
    Await.until("every acknowledged settlement at the insurer",
        () -> leadEndpoint.processed.containsAll(acknowledgedSettlements));
    assertThat(leadEndpoint.processed).containsAll(acknowledgedSettlements);
    assertThat(Set.copyOf(leadEndpoint.processed)).hasSameSizeAs(leadEndpoint.processed);
    assertThat(acknowledgedSettlements).hasSize(60).doesNotHaveDuplicates();
    // A repeated push (a crash between the insurer's answer and the gateway's commit) says so.
    leadEndpoint.deliveries.forEach(d -> assertThat(d.getAttempt()).isPositive());

    // Every acknowledged deduction executed exactly once, with the receipt the insurer was given.
    assertThat(acknowledgedDeductions).hasSize(60);
    acknowledgedDeductions.forEach((key, receipt) -> {
      assertThat(executions.get(key).get()).as(key).isEqualTo(1);
      assertThat(receipt).as(key).isEqualTo(bureauRecord.get(key));
    });
    assertThat(failures.get()).as("the kills really interrupted traffic").isPositive();

    try (GatewayAdmin admin = GatewayAdmin.open(new GatewayConfig().dataDir(dataDir), Clock.systemUTC())) {
      assertThat(admin.verifyAudit().firstBreak()).isEmpty();
    }
    gateway.destroy();
    gateway.waitFor(30, TimeUnit.SECONDS);
    for (AutoCloseable c : new AutoCloseable[] {leadEndpoint, bureauEndpoint, lead, bureau}) {
      c.close();
    }
  }

  /** Retries an operation until it answers, as a client with a persisted idempotency key does. */
  static <T> T untilAnswered(AtomicInteger failures, java.util.concurrent.Callable<T> attempt) {
    for (int tries = 0; tries < 400; tries++) {
      try {
        return attempt.call();
      } catch (StatusRuntimeException e) {
        failures.incrementAndGet();
        sleep(100); // a client's retry delay, not synchronisation
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("no answer after 400 attempts");
  }

  private static boolean knowsProduct(TestParty caller) {
    try {
      DirectoryServiceGrpc.newBlockingStub(caller.channel).withDeadlineAfter(3, TimeUnit.SECONDS)
          .resolveProduct(ResolveProductRequest.newBuilder().setProductCode("dalian-2025-basic").build());
      return true;
    } catch (StatusRuntimeException notYet) {
      return false;
    }
  }

  private void startGateway(int port) throws Exception {
    gateway = GatewayProcess.launch(dataDir, port);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
