package io.hmb.gateway.scale;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.client.NodeCalls;
import io.hmb.gateway.admin.GatewayAdmin;
import io.hmb.gateway.support.DatabaseConsole;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.audit.AuditVerification;
import io.hmb.gateway.db.Transactions;
import io.hmb.gateway.tls.GatewayTls;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway nodes on one PostgreSQL, reached by JDBC URL as in production, with clients spreading
 * their calls over both by grpc-java's round_robin policy, everything over real mTLS. Node A runs in
 * this JVM, node B in its own, so that it can be killed with SIGKILL.
 *
 * <p>Phase 1, both nodes up: three cities' bureaus send settlement data (to a lead insurer by push, to a
 * co-insurer's inbox, which has a stream on each node) and their lead insurers send deductions; some
 * settlements and every deduction are retried on the node that did not answer, and some deductions
 * reach both nodes at the same moment; nothing may be delivered twice. Phase 2: the same traffic, and
 * node B is SIGKILLed part-way, while it is pushing a message (the insurer holds that push open), so
 * node A must take B's lease over and push the message again.
 *
 * <p>Then: every acknowledged settlement was processed exactly once (by message_id and by idempotency
 * key) and none that was not acknowledged; each push pair in acknowledgement order; one message row
 * per idempotency key; every deduction answered with the bureau's one receipt, retries after an answer
 * answered from the store; the audit chain verifies.
 */
class TwoNodeScaleOutTest {
  private static final List<String> CITIES = List.of("210200", "620600", "371500");
  private static final int PHASE_ONE_SETTLEMENTS = 40;
  private static final int PHASE_TWO_SETTLEMENTS = 30;
  /** Phase-two acknowledgements (all cities together) before node B is killed: a third of them. */
  private static final int KILL_AFTER_ACKNOWLEDGED = PHASE_TWO_SETTLEMENTS;
  private static final int DEDUCTIONS_PER_PHASE = 8;
  private static final int RACED_DEDUCTIONS = 3;
  /** A dead node's push leases end after 9 s and its inbox claims after 5 s (SharedDatabaseNode). */
  private static final Duration DELIVERY_WAIT = Duration.ofSeconds(30);
  private static final Duration PHASE_WAIT = Duration.ofSeconds(90);

  @TempDir Path nodeADir;
  @TempDir Path nodeBDir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  @Test
  void twoNodesDeliverEveryAcknowledgedMessageOnceAndOneCarriesOnWhenTheOtherIsKilled() throws Exception {
    long started = System.nanoTime();
    EmbeddedPostgres postgres = keep(EmbeddedPostgres.builder().start());
    String jdbcUrl = postgres.getJdbcUrl("postgres", "postgres");
    Gateway nodeA = keep(Gateway.start(SharedDatabaseNode.config(nodeADir, jdbcUrl), Clock.systemUTC()));
    DeliveryLedger ledger = new DeliveryLedger();
    NodeCertificates nodeCertificates = new NodeCertificates();
    List<City> cities = new ArrayList<>();
    for (String admdvs : CITIES) {
      cities.add(keep(City.register(nodeA, admdvs, ledger, nodeCertificates)));
    }
    // As an operator does: clients trust one CA and every node presents the same name. Node B then issues
    // a client certificate of its own (as GATEWAY) from that CA, so recipients can tell the nodes apart.
    GatewayTls.copyClusterMaterial(nodeADir, nodeBDir, Clock.systemUTC());
    NodeProcess nodeB = keep(NodeProcess.start(nodeBDir, jdbcUrl));
    NodePorts nodes = new NodePorts(nodeA.port(), nodeB.port);
    nodeCertificates.add(nodes.name(nodes.first()), nodeADir);
    nodeCertificates.add(nodes.name(nodes.second()), nodeBDir);
    NodeCalls servedBy = new NodeCalls();
    ExecutorService clients = keepExecutor(Executors.newCachedThreadPool());
    var inboxThreads = keepExecutor(Executors.newScheduledThreadPool(3));
    for (City city : cities) {
      city.connect(nodes, servedBy, ledger, inboxThreads);
    }
    AtomicInteger failedCalls = new AtomicInteger();
    List<CityTraffic> traffic = cities.stream().map(c -> new CityTraffic(c, nodes, failedCalls)).toList();

    // Phase 1: both nodes serve; retries cross to the other node on purpose.
    List<Callable<Void>> phaseOne = new ArrayList<>();
    for (CityTraffic t : traffic) {
      phaseOne.add(task(() -> t.sendSettlements(0, PHASE_ONE_SETTLEMENTS, true, () -> { })));
      phaseOne.add(task(() -> t.sendDeductions(0, DEDUCTIONS_PER_PHASE, true)));
      phaseOne.add(task(() -> t.raceDeductions(0, RACED_DEDUCTIONS, clients)));
    }
    awaitAll(runAll(clients, phaseOne));
    Map<Integer, Long> phaseOneCalls = byPort(servedBy.counts());
    int failedInPhaseOne = failedCalls.get();
    assertThat(ledger.awaitProcessed(acknowledgedIds(traffic), DELIVERY_WAIT)).as("phase 1 delivered").isTrue();
    // A second delivery while both nodes run is the gateway's retry only after a failed push (audited
    // DELIVERY_FAILED) or an inbox acknowledgement overdue (the ack timeout since the first); on a loaded
    // machine either can happen. Anything else would mean two nodes claimed one message.
    int redeliveredWhileBothUp = ledger.redeliveries();
    List<String> doubleClaims = doubleClaims(ledger, nodeA.admin());

    // Phase 2: the same traffic over round robin only; node B dies with a third of it acknowledged.
    CountDownLatch killPoint = new CountDownLatch(KILL_AFTER_ACKNOWLEDGED);
    List<Callable<Void>> phaseTwo = new ArrayList<>();
    for (CityTraffic t : traffic) {
      int end = PHASE_ONE_SETTLEMENTS + PHASE_TWO_SETTLEMENTS;
      phaseTwo.add(task(() -> t.sendSettlements(PHASE_ONE_SETTLEMENTS, end, false, killPoint::countDown)));
      phaseTwo.add(task(() -> t.sendDeductions(DEDUCTIONS_PER_PHASE, 2 * DEDUCTIONS_PER_PHASE, false)));
    }
    List<Future<Void>> running = runAll(clients, phaseTwo);
    assertThat(killPoint.await(PHASE_WAIT.toSeconds(), TimeUnit.SECONDS)).as("phase 2 got under way").isTrue();
    // Kill node B in the middle of a push: it holds the pair's lease, the insurer has the message,
    // and B never learns that. Node A must take the pair over when the lease ends and push it again.
    PushHold midPush = new PushHold(nodes.name(nodes.second()));
    cities.forEach(c -> c.leadEndpoint.hold(midPush));
    String killedMidPush = midPush.awaitHeld(PHASE_WAIT);
    assertThat(killedMidPush).as("node B pushed something after the hold was set").isNotNull();
    nodeB.kill();
    long killedAt = System.nanoTime();
    midPush.release();
    awaitAll(running);

    Map<String, String> acknowledged = new HashMap<>();
    traffic.forEach(t -> acknowledged.putAll(t.acknowledgedSettlements));
    boolean allProcessed = ledger.awaitProcessed(acknowledged.values(), DELIVERY_WAIT);
    boolean takenOver = ledger.awaitArrivals(killedMidPush, 2, DELIVERY_WAIT);
    double secondsFromKillToLastDelivery = (System.nanoTime() - killedAt) / 1e9;
    Set<String> processed = ledger.processedIds();
    Set<String> lost = new HashSet<>(acknowledged.values());
    lost.removeAll(processed);
    Set<String> neverAcknowledged = new HashSet<>(processed);
    neverAcknowledged.removeAll(acknowledged.values());
    Map<String, Integer> keysTwice = ledger.keysProcessedMoreThanOnce();
    int sent = traffic.stream().mapToInt(t -> t.settlementKeys.size()).sum();
    int deductions = traffic.stream().mapToInt(t -> t.receipts.size()).sum();
    int crossRetries = traffic.stream().mapToInt(t -> t.settlementRetriesOnOtherNode.get() + t.retriedAfterAnswer.size()
        + t.raced.size()).sum();
    new ScaleOutRow("two gateway nodes on one PostgreSQL, client-side round robin; one killed with SIGKILL mid-stream "
        + "(`TwoNodeScaleOutTest`)", sent + " settlements (push + inbox) + " + deductions + " deductions from "
        + CITIES.size() + " cities, " + crossRetries + " retries on the other node", sent, acknowledged.size(),
        acknowledged.size() - lost.size(), keysTwice.size(), lost.size(), ledger.redeliveries()).publish();
    System.out.printf("SCALE-OUT phase 1: calls per node %s, redelivered %d; failed calls retried: %d in phase 1, "
            + "%d in all; last delivery %.1f s after the kill; whole test %.1f s%n", describe(phaseOneCalls, nodes),
        redeliveredWhileBothUp, failedInPhaseOne, failedCalls.get(), secondsFromKillToLastDelivery,
        (System.nanoTime() - started) / 1e9);

    // Exactly once, from the recipients' side.
    assertThat(allProcessed).as("every acknowledged settlement processed within %s; lost %s", DELIVERY_WAIT, lost).isTrue();
    assertThat(lost).as("acknowledged but never processed").isEmpty();
    assertThat(neverAcknowledged).as("processed but never acknowledged to the sender").isEmpty();
    assertThat(keysTwice).as("one settlement processed under two message ids").isEmpty();
    assertThat(doubleClaims).as("deliveries repeated while both nodes were up, with no failed push and no overdue "
        + "acknowledgement before them").isEmpty();
    // The push node B died in was pushed again by node A, warning the insurer with a higher attempt.
    assertThat(takenOver).as("%s pushed again within %s of node B's death", killedMidPush, DELIVERY_WAIT).isTrue();
    List<DeliveryLedger.Received> takeover = ledger.arrivals(killedMidPush);
    assertThat(takeover.get(0).via()).isEqualTo(nodes.name(nodes.second()));
    assertThat(takeover.subList(1, takeover.size())).as("deliveries of %s after node B died", killedMidPush)
        .allSatisfy(r -> assertThat(r.via()).isEqualTo(nodes.name(nodes.first())))
        .allSatisfy(r -> assertThat(r.attempt()).isGreaterThan(takeover.get(0).attempt()));
    assertThat(acknowledged).hasSize(sent);
    // Per pair, pushed in acknowledgement order, across both nodes and the takeover.
    for (int i = 0; i < cities.size(); i++) {
      City c = cities.get(i);
      assertThat(ledger.processedInOrder(c.bureau.code, c.lead.code)).as("push order %s > %s", c.bureau.code, c.lead.code)
          .containsExactlyElementsOf(traffic.get(i).acknowledgedByPair.get(CityTraffic.pair(c.bureau.code, c.lead.code)));
    }
    assertRoundRobinUsedBothNodes(phaseOneCalls, nodes);
    assertDeductionsAnsweredOnce(cities, traffic);
    try (DatabaseConsole sql = DatabaseConsole.of(SharedDatabaseNode.config(nodeADir, jdbcUrl))) {
      assertOneRowPerOperation(sql.dataSource(), acknowledged, traffic);
    }
    assertAuditChainVerifies(nodeA.admin());
  }

  private static void assertRoundRobinUsedBothNodes(Map<Integer, Long> calls, NodePorts nodes) {
    long total = calls.values().stream().mapToLong(Long::longValue).sum();
    assertThat(calls.keySet()).as("nodes that answered round-robin calls").containsExactlyInAnyOrderElementsOf(nodes.both());
    calls.values().forEach(n -> assertThat(n).as("calls per node of %s", total).isGreaterThan(total / 5));
  }

  /** The bureau's one receipt for every key; a retry after the answer never reached the bureau again. */
  private static void assertDeductionsAnsweredOnce(List<City> cities, List<CityTraffic> traffic) {
    for (int i = 0; i < cities.size(); i++) {
      BureauDesk desk = cities.get(i).desk;
      CityTraffic t = traffic.get(i);
      t.receipts.forEach((key, receipt) -> assertThat(receipt).as(key).isEqualTo(desk.posted(key)));
      t.retriedAfterAnswer.forEach(key -> assertThat(desk.requests(key)).as("bureau asked about %s", key).isEqualTo(1));
      t.raced.forEach(key -> assertThat(desk.requests(key)).as("bureau asked about %s", key).isBetween(1, 2));
    }
  }

  /** The shared database: one row per idempotency key, nothing dead-lettered, both nodes started on it. */
  private static void assertOneRowPerOperation(DataSource db, Map<String, String> acknowledgedSettlements,
      List<CityTraffic> traffic) throws SQLException {
    Map<String, List<String>> rowsByKey = messageIdsByIdempotencyKey(db);
    acknowledgedSettlements.forEach((key, id) -> assertThat(rowsByKey.get(key)).as("rows for %s", key).containsExactly(id));
    int deductions = 0;
    for (CityTraffic t : traffic) {
      t.receipts.keySet().forEach(key -> assertThat(rowsByKey.get(key)).as("rows for %s", key).hasSize(1));
      deductions += t.receipts.size();
    }
    assertThat(rowsByKey).as("one row per operation sent").hasSize(acknowledgedSettlements.size() + deductions);
    assertThat(count(db, "SELECT count(*) FROM message WHERE state = 'DEAD_LETTERED'")).isZero();
    assertThat(count(db, "SELECT count(DISTINCT node) FROM gateway_start")).isEqualTo(2);
  }

  private static void assertAuditChainVerifies(GatewayAdmin admin) throws Exception {
    // verifyAudit first links whatever node A's chainer has not linked yet
    AuditVerification audit = admin.verifyAudit();
    assertThat(audit.firstBreak()).as("audit chain and log written by two nodes' chainers").isEmpty();
    assertThat(audit.chainedEvents()).isPositive();
    assertThat(audit.treeSize()).isEqualTo(audit.chainedEvents());
  }

  private static List<String> acknowledgedIds(List<CityTraffic> traffic) {
    return traffic.stream().flatMap(t -> t.acknowledgedSettlements.values().stream()).toList();
  }

  private static Map<String, List<String>> messageIdsByIdempotencyKey(DataSource db) throws SQLException {
    Map<String, List<String>> out = new HashMap<>();
    try (Connection c = db.getConnection();
         ResultSet rs = c.createStatement().executeQuery(
             "SELECT idempotency_key, message_id FROM message WHERE idempotency_key IS NOT NULL")) {
      while (rs.next()) {
        out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
      }
    }
    return out;
  }

  private static long count(DataSource db, String sql) throws SQLException {
    try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Map<Integer, Long> byPort(Map<InetSocketAddress, Long> callsByNode) {
    Map<Integer, Long> out = new TreeMap<>();
    callsByNode.forEach((node, n) -> out.merge(node.getPort(), n, Long::sum));
    return out;
  }

  private static String describe(Map<Integer, Long> callsByPort, NodePorts nodes) {
    return callsByPort.entrySet().stream().map(e -> nodes.name(e.getKey()) + " " + e.getValue())
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /** Work that may throw, as a task. */
  @FunctionalInterface
  private interface Work {
    void run() throws Exception;
  }

  private static Callable<Void> task(Work work) {
    return () -> {
      work.run();
      return null;
    };
  }

  private static List<Future<Void>> runAll(ExecutorService threads, List<Callable<Void>> tasks) {
    return tasks.stream().map(threads::submit).toList();
  }

  /** Waits for every task; the first failure fails the test with its own message. */
  private static void awaitAll(List<Future<Void>> tasks) throws Exception {
    for (Future<Void> f : tasks) {
      try {
        f.get(PHASE_WAIT.toSeconds(), TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Error error) {
          throw error;
        }
        throw (Exception) e.getCause();
      }
    }
  }

  private <T extends AutoCloseable> T keep(T resource) {
    open.add(resource);
    return resource;
  }

  private <T extends ExecutorService> T keepExecutor(T executor) {
    open.add(() -> {
      executor.shutdownNow();
      executor.awaitTermination(5, TimeUnit.SECONDS);
    });
    return executor;
  }

  /**
   * Redelivered messages that neither a failed push nor an overdue inbox acknowledgement explains: a message
   * two nodes claimed at once.
   */
  private static List<String> doubleClaims(DeliveryLedger ledger, GatewayAdmin admin) throws SQLException {
    // Half the ack timeout: the first delivery may have been slow to arrive after its claim; two nodes' claims
    // of one message would arrive together.
    long ackTimeoutNanos = SharedDatabaseNode.DELIVERY.ackTimeout().toNanos() / 2;
    List<String> unexplained = new ArrayList<>();
    for (Map.Entry<String, List<DeliveryLedger.Received>> e : ledger.redelivered().entrySet()) {
      List<DeliveryLedger.Received> arrivals = e.getValue();
      boolean pushFailed = admin.auditEvents(e.getKey()).stream().anyMatch(ev -> ev.startsWith("DELIVERY_FAILED"));
      boolean ackOverdue = true;
      for (int i = 1; i < arrivals.size(); i++) {
        ackOverdue &= arrivals.get(i).atNanos() - arrivals.get(i - 1).atNanos() >= ackTimeoutNanos;
      }
      if (!pushFailed && !ackOverdue) {
        unexplained.add(e.getKey() + " " + arrivals);
      }
    }
    return unexplained;
  }
}
