package io.hmb.gateway.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.hmb.api.Errors;
import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.SettlementData;
import io.hmb.api.v1.SettlementServiceGrpc;
import io.hmb.gateway.audit.AuditVerification;
import io.hmb.testing.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL streaming replication with a synchronous standby under two gateway nodes (docs/reliability.md,
 * "High availability"). The primary dies by SIGKILL under traffic and the standby is promoted: nothing
 * acknowledged is lost or doubled, callers see GATEWAY_UNAVAILABLE (never an acknowledgement) while no primary
 * is reachable, the gateway reconnects by itself and its workers resume. The standby dies: the primary refuses
 * to acknowledge (the default), and carries on when it is back, or at once when the operator chooses to
 * degrade to asynchronous replication.
 */
class FailoverTest {
  static final Path REPORT = Path.of("target", "failover-report.md");
  /**
   * How long the test, playing Patroni, takes to decide the primary is dead before it promotes: an aggressive
   * Patroni (ttl 10 s, loop_wait 2 s) takes a few seconds, its defaults (ttl 30 s) up to half a minute.
   */
  private static final Duration DETECTION = Duration.ofSeconds(3);

  @TempDir Path nodeADir;
  @TempDir Path nodeBDir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private Path clusterRoot;

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    if (clusterRoot != null) {
      HaFiles.deleteTree(clusterRoot);
    }
  }

  private ReplicatedPostgres cluster() throws Exception {
    Optional<Path> bin = ReplicatedPostgres.debianBinaries();
    assumeTrue(bin.isPresent(), ReplicatedPostgres.ABSENT);
    clusterRoot = Files.createTempDirectory("hmb-ha-");
    return keep(ReplicatedPostgres.start(bin.get(), clusterRoot, true));
  }

  @Test
  void primaryKilledUnderTrafficStandbyPromotedNothingAcknowledgedLost() throws Exception {
    ReplicatedPostgres postgres = cluster();
    FailoverNetwork network = keep(new FailoverNetwork(postgres, List.of(nodeADir, nodeBDir), Duration.ofSeconds(3)));
    FailoverTraffic traffic = new FailoverTraffic(network);
    List<Thread> senders = List.of(new Thread(traffic.settlements("a", 0), "settlements-a"),
        new Thread(traffic.settlements("b", 1), "settlements-b"), new Thread(traffic.coverageChecks(), "coverage"));
    HealthWatch health = new HealthWatch(network, traffic);
    senders.forEach(Thread::start);
    health.start();

    Await.until("20 settlements acknowledged before the kill", () -> traffic.acknowledged.size() >= 20);
    int acknowledgedBeforeKill = traffic.acknowledged.size();
    long killedAt = traffic.nowMillis();
    postgres.primary.kill();
    Thread.sleep(DETECTION.toMillis()); // the failover manager's detection time: the fault's duration
    postgres.standby().promote();
    long promotedAt = traffic.nowMillis();
    Await.until("20 more settlements acknowledged after the promotion", Duration.ofSeconds(60),
        () -> traffic.acknowledgedAt.stream().filter(t -> t > promotedAt).count() >= 20);
    traffic.stop();
    health.stop();
    for (Thread t : senders) {
      t.join(TimeUnit.SECONDS.toMillis(30));
    }

    List<String> acked = List.copyOf(traffic.acknowledged.values());
    Await.until("every acknowledged settlement delivered", Duration.ofSeconds(60),
        () -> network.insurer.processed.containsAll(acked));
    int delivered = (int) acked.stream().filter(network.insurer.processed::contains).count();
    int duplicates = network.insurer.processed.size() - new HashSet<>(network.insurer.processed).size();
    long longestGap = longestGapAround(traffic.acknowledgedAt, killedAt);
    List<FailoverTraffic.Refusal> during = traffic.refusals.stream().filter(r -> r.atMillis() >= killedAt).toList();

    // Callers were told to come back, never given an acknowledgement that the failover could lose.
    assertThat(during).as("callers saw the failover").isNotEmpty();
    assertThat(during).allSatisfy(r -> assertThat(r.code()).isIn("UNAVAILABLE", "DEADLINE_EXCEEDED"));
    assertThat(during.stream().filter(r -> r.code().equals("UNAVAILABLE")))
        .allSatisfy(r -> {
          assertThat(r.reason()).isIn(ErrorReason.GATEWAY_UNAVAILABLE.name(), ErrorReason.RECIPIENT_UNAVAILABLE.name(),
              "-");
        });
    assertThat(health.notServingSeen()).as("health said NOT_SERVING while no primary was reachable").isTrue();
    assertThat(health.servingAgain()).as("and SERVING once the standby was promoted").isTrue();
    assertThat(duplicates).isZero();
    assertThat(delivered).isEqualTo(acked.size());

    AuditVerification audit = network.nodes.get(0).admin().verifyAudit();
    assertThat(audit.intact()).as(audit.firstBreak().orElse("")).isTrue();
    assertThat(audit.unchainedEvents()).as("the chainer resumed on the new primary").isZero();

    publish(new FailoverRow("primary SIGKILLed under traffic, synchronous standby promoted after "
        + DETECTION.toSeconds() + " s", traffic.sent(), acknowledgedBeforeKill, acked.size() - acknowledgedBeforeKill,
        delivered, duplicates, acked.size() - delivered, longestGap, summary(during),
        traffic.coverageAnswered.get() + " answered, " + traffic.coverageRefused.get() + " refused",
        audit.intact() ? "verified, " + audit.chainedEvents() + " events" : "BROKEN"));
  }

  @Test
  void standbyKilledPrimaryRefusesToAcknowledgeUntilItIsBackOrTheOperatorDegrades() throws Exception {
    ReplicatedPostgres postgres = cluster();
    FailoverNetwork network = keep(new FailoverNetwork(postgres, List.of(nodeADir), Duration.ofSeconds(2)));
    List<String> acked = new ArrayList<>();
    ConcurrentLinkedQueue<FailoverTraffic.Refusal> refusals = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < 5; i++) {
      acked.add(submitUntilAccepted(network, "before-" + i, Duration.ofSeconds(30)).getMessageId());
    }

    // Strict (the default): with its synchronous standby gone the primary cannot acknowledge, so neither may we.
    postgres.standby().kill();
    long killedAt = System.nanoTime();
    List<String> refusedKeys = List.of("strict-0", "strict-1", "strict-2");
    for (String key : refusedKeys) {
      try {
        submit(network, key);
        throw new AssertionError("acknowledged " + key + " with no synchronous standby to hold it");
      } catch (StatusRuntimeException e) {
        refusals.add(new FailoverTraffic.Refusal(0, e.getStatus().getCode().name(),
            Errors.reason(e).map(ErrorReason::name).orElse("-"), Errors.retryDelay(e).isPresent()));
      }
    }
    assertThat(refusals).allSatisfy(r -> assertThat(r.code()).isIn("UNAVAILABLE", "DEADLINE_EXCEEDED"));
    long refusingMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);

    postgres.standby().start();
    postgres.awaitSynchronousStandby();
    for (String key : refusedKeys) { // the callers' retries, same keys: stored answer or a first admission
      acked.add(submitUntilAccepted(network, key, Duration.ofSeconds(30)).getMessageId());
    }

    // Degrade, the operator's choice: no synchronous standby required, so the primary acknowledges alone.
    postgres.standby().kill();
    postgres.primary.set("synchronous_standby_names", "");
    acked.add(submitUntilAccepted(network, "degraded-0", Duration.ofSeconds(30)).getMessageId());

    Await.until("every acknowledged settlement delivered", Duration.ofSeconds(60),
        () -> network.insurer.processed.containsAll(acked));
    int duplicates = network.insurer.processed.size() - new HashSet<>(network.insurer.processed).size();
    assertThat(duplicates).isZero();
    assertThat(acked).doesNotHaveDuplicates();
    AuditVerification audit = network.nodes.get(0).admin().verifyAudit();
    assertThat(audit.intact()).as(audit.firstBreak().orElse("")).isTrue();

    publish(new FailoverRow("synchronous standby SIGKILLed (strict: the default), restarted; then killed again and "
        + "the operator set synchronous_standby_names = ''", 5 + refusedKeys.size() + 1, 5, refusedKeys.size() + 1,
        acked.size(), duplicates, 0, refusingMillis, summary(List.copyOf(refusals)) + " while it was gone", "-",
        audit.intact() ? "verified, " + audit.chainedEvents() + " events" : "BROKEN"));
  }

  private static Acceptance submit(FailoverNetwork network, String key) {
    return SettlementServiceGrpc.newBlockingStub(network.bureauChannels.get(0)).withDeadlineAfter(5, TimeUnit.SECONDS)
        .submitSettlement(network.bureau.seal(network.bureau.header(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA,
            network.lead, FailoverNetwork.CITY).setIdempotencyKey(key),
            SettlementData.newBuilder().setSettlementId(key).build(), network.lead));
  }

  private static Acceptance submitUntilAccepted(FailoverNetwork network, String key, Duration within)
      throws InterruptedException {
    long until = System.nanoTime() + within.toNanos();
    while (true) {
      try {
        return submit(network, key);
      } catch (StatusRuntimeException e) {
        if (System.nanoTime() > until) {
          throw new AssertionError("not accepted within " + within + ": " + key + ", last " + e.getStatus());
        }
        Thread.sleep(100); // a client's retry delay
      }
    }
  }

  /**
   * The longest time without any acknowledgement that spans the kill: what callers lived through. (The
   * first acknowledgement after the kill may be a call committed, and replicated, just before it.)
   */
  private static long longestGapAround(java.util.Collection<Long> acknowledgedAt, long killedAt) {
    List<Long> times = acknowledgedAt.stream().sorted().toList();
    long longest = 0;
    for (int i = 1; i < times.size(); i++) {
      if (times.get(i) >= killedAt && times.get(i - 1) <= killedAt + DETECTION.toMillis() * 2) {
        longest = Math.max(longest, times.get(i) - times.get(i - 1));
      }
    }
    return longest;
  }

  /** "UNAVAILABLE/GATEWAY_UNAVAILABLE ×12 (RetryInfo), DEADLINE_EXCEEDED ×2" */
  private static String summary(List<FailoverTraffic.Refusal> refusals) {
    Map<String, Integer> counts = new TreeMap<>();
    for (FailoverTraffic.Refusal r : refusals) {
      counts.merge(r.code() + (r.reason().equals("-") ? "" : "/" + r.reason()) + (r.retryInfo() ? " (RetryInfo)" : ""),
          1, Integer::sum);
    }
    List<String> parts = new ArrayList<>();
    counts.forEach((k, v) -> parts.add(k + " ×" + v));
    return parts.isEmpty() ? "none" : String.join(", ", parts);
  }

  /** One row of docs/reliability.md's high-availability table. */
  record FailoverRow(String fault, int sent, int acknowledgedBefore, int acknowledgedAfter, int delivered,
      int duplicates, int lost, long unavailableMillis, String callersSaw, String coverage, String audit) {
    String markdown() {
      return "| " + fault + " | " + sent + " | " + acknowledgedBefore + " | " + acknowledgedAfter + " | " + delivered
          + " | " + duplicates + " | " + lost + " | " + unavailableMillis + " ms | " + callersSaw + " | " + coverage
          + " | " + audit + " |";
    }
  }

  private static void publish(FailoverRow row) throws IOException {
    System.out.println("FAILOVER " + row.markdown());
    Files.createDirectories(REPORT.toAbsolutePath().getParent());
    if (!Files.exists(REPORT)) {
      Files.writeString(REPORT, "| fault | sent | acknowledged before | acknowledged after | delivered | duplicates "
          + "| lost | no acknowledgement for | callers saw | coverage checks | audit log |\n"
          + "|---|---|---|---|---|---|---|---|---|---|---|\n", StandardCharsets.UTF_8);
    }
    Files.writeString(REPORT, row.markdown() + " <!-- " + LocalDate.now() + " -->\n", StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
  }

  private <T extends AutoCloseable> T keep(T c) {
    open.add(c);
    return c;
  }

  /** Polls node A's health every 100 ms: what a load balancer's readiness probe would have seen. */
  private static final class HealthWatch {
    private final FailoverNetwork network;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean notServingSeen;
    private volatile boolean servingAfterNotServing;

    HealthWatch(FailoverNetwork network, FailoverTraffic traffic) {
      this.network = network;
      this.thread = new Thread(this::watch, "health-watch");
    }

    void start() {
      thread.start();
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join(5000);
    }

    boolean notServingSeen() {
      return notServingSeen;
    }

    boolean servingAgain() {
      return servingAfterNotServing;
    }

    private void watch() {
      while (running) {
        ServingStatus status;
        try {
          status = HealthGrpc.newBlockingStub(network.bureauChannels.get(0)).withDeadlineAfter(2, TimeUnit.SECONDS)
              .check(HealthCheckRequest.getDefaultInstance()).getStatus();
        } catch (StatusRuntimeException e) {
          status = ServingStatus.UNKNOWN;
        }
        if (status == ServingStatus.NOT_SERVING) {
          notServingSeen = true;
        } else if (status == ServingStatus.SERVING && notServingSeen) {
          servingAfterNotServing = true;
        }
        try {
          Thread.sleep(100); // the probe's period
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }
}
