package io.hmb.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.hmb.api.Errors;
import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.Role;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.api.v1.SettlementData;
import io.hmb.api.v1.SettlementServiceGrpc;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.registry.Product;
import io.hmb.gateway.support.DatabaseConsole;
import io.hmb.gateway.support.TestParty;
import io.hmb.testing.Await;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit seen from the callers, through real gRPC calls into a started gateway on its embedded
 * PostgreSQL. A batch is made for certain: a DBA's lock on the message table holds the writer on a first
 * record while the others queue up behind it, so that when the lock goes they are committed together.
 * <ul>
 *   <li>A commit that fails (a deferred constraint trigger, made by the DBA, refuses one marked record at
 *       commit) fails every caller of that batch with GATEWAY_UNAVAILABLE: nothing of theirs is stored, not
 *       even an audit event, and each retry with the same envelope is stored once.</li>
 *   <li>One caller's invalid record (its idempotency key reused for other content) fails that caller alone,
 *       with IDEMPOTENCY_KEY_REUSED; the others of its batch are accepted.</li>
 *   <li>One envelope sent twice into one batch (whose admissions are one multi-row INSERT) is stored once; one
 *       caller gets it accepted, the other the stored answer, as if they had come one after the other.</li>
 * </ul>
 */
class GroupCommitThroughThePipelineTest {
  private static final int BATCH = 6;
  @TempDir Path dataDir;
  Gateway gateway;
  DatabaseConsole dba;
  TestParty bureau;
  TestParty lead;
  ExecutorService callers;

  @BeforeEach
  void start() throws Exception {
    gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir), Clock.systemUTC());
    dba = DatabaseConsole.of(dataDir);
    lead = TestParty.register(gateway, "INSURER-LEAD-210200", Role.ROLE_INSURER, "210200", Optional.empty());
    bureau = TestParty.register(gateway, "BUREAU-210200", Role.ROLE_BUREAU, "210200", Optional.empty());
    gateway.admin().addProduct(new Product("dalian-2025-basic", "210200", lead.code,
        LocalDate.of(2025, 11, 1), LocalDate.of(2026, 10, 31), List.of(new Product.Member(lead.code, 10000))));
    callers = Executors.newFixedThreadPool(BATCH + 1);
  }

  @AfterEach
  void stop() throws Exception {
    callers.shutdownNow();
    bureau.close();
    lead.close();
    dba.close();
    gateway.close();
  }

  private SealedEnvelope settlement(String key, String settlementId) {
    return bureau.seal(bureau.header(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, lead, "210200")
        .setIdempotencyKey(key).setProductCode("dalian-2025-basic"),
        SettlementData.newBuilder().setSettlementId(settlementId).setMedicalFeeTotalFen(123_45).build(), lead);
  }

  private Acceptance submit(SealedEnvelope e) {
    return SettlementServiceGrpc.newBlockingStub(bureau.channel).withDeadlineAfter(30, TimeUnit.SECONDS)
        .submitSettlement(e);
  }

  /** Callers whose records wait for the shared commit: their threads are parked in GroupCommit.inTransaction. */
  private static long waitingForTheSharedCommit() {
    return Thread.getAllStackTraces().values().stream().filter(stack -> {
      for (StackTraceElement f : stack) {
        if (f.getClassName().equals("io.hmb.gateway.db.GroupCommit") && f.getMethodName().equals("inTransaction")) {
          return true;
        }
      }
      return false;
    }).count();
  }

  /**
   * Runs {@code first}, holds it at the writer behind a DBA's lock on the message table, queues
   * {@code batch} behind it, then lets the lock go: {@code batch} is drained and committed as one.
   * The futures' outcomes, {@code first}'s at index 0.
   */
  private List<Future<Acceptance>> inOneBatch(SealedEnvelope first, List<SealedEnvelope> batch) throws Exception {
    List<Future<Acceptance>> out = new ArrayList<>();
    try (Connection lock = dba.connect(); Statement s = lock.createStatement()) {
      lock.setAutoCommit(false);
      s.execute("LOCK TABLE message IN EXCLUSIVE MODE"); // readers pass, the writer's INSERT waits
      out.add(callers.submit(() -> submit(first)));
      Await.until("the writer waits for the lock with the first record", () -> {
        try (Connection c = dba.connect(); Statement q = c.createStatement(); ResultSet rs = q.executeQuery(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO message(%'")) {
          rs.next();
          return rs.getInt(1) == 1;
        } catch (java.sql.SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      for (SealedEnvelope e : batch) {
        out.add(callers.submit(() -> submit(e)));
      }
      Await.until("all " + (batch.size() + 1) + " callers wait for the shared commit",
          () -> waitingForTheSharedCommit() == batch.size() + 1);
      lock.commit();
    }
    return out;
  }

  private long rows(String sql, List<String> values) throws Exception {
    try (Connection c = dba.connect(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setArray(1, c.createArrayOf("text", values.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Test
  void aBatchWhoseCommitFailsFailsEveryCallerInItAndLeavesNothingOfTheirs() throws Exception {
    try (Connection c = dba.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE FUNCTION refuse_doomed() RETURNS trigger AS $$ BEGIN "
          + "IF NEW.idempotency_key = 'doomed' THEN RAISE EXCEPTION 'refused at commit by the test'; END IF; "
          + "RETURN NULL; END $$ LANGUAGE plpgsql");
      s.execute("CREATE CONSTRAINT TRIGGER refuse_doomed AFTER INSERT ON message DEFERRABLE INITIALLY DEFERRED "
          + "FOR EACH ROW EXECUTE FUNCTION refuse_doomed()");
    }
    List<SealedEnvelope> batch = new ArrayList<>();
    batch.add(settlement("doomed", "S-doomed"));
    for (int i = 1; i < BATCH; i++) {
      batch.add(settlement("with-doomed-" + i, "S-" + i));
    }
    List<Future<Acceptance>> outcomes = inOneBatch(settlement("before", "S-before"), batch);

    assertThat(outcomes.get(0).get(30, TimeUnit.SECONDS).getReplayed()).as("the record committed alone first").isFalse();
    List<String> keys = new ArrayList<>();
    List<String> messageIds = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      final int k = i;
      var failure = org.assertj.core.api.Assertions.catchThrowableOfType(
          () -> outcomes.get(1 + k).get(30, TimeUnit.SECONDS),
          java.util.concurrent.ExecutionException.class);
      assertThat(failure).as("caller %d of the failed batch", i).isNotNull();
      StatusRuntimeException refused = (StatusRuntimeException) failure.getCause();
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(Errors.reason(refused)).contains(ErrorReason.GATEWAY_UNAVAILABLE);
      keys.add(i == 0 ? "doomed" : "with-doomed-" + i);
      messageIds.add(io.hmb.api.v1.EnvelopeHeader.parseFrom(batch.get(i).getHeader()).getMessageId());
    }
    assertThat(rows("SELECT count(*) FROM message WHERE idempotency_key = ANY(?)", keys))
        .as("no message row of the failed batch").isZero();
    assertThat(rows("SELECT count(*) FROM audit_event WHERE message_id = ANY(?)", messageIds))
        .as("no audit event of the failed batch").isZero();

    try (Connection c = dba.connect(); Statement s = c.createStatement()) {
      s.execute("DROP TRIGGER refuse_doomed ON message");
    }
    for (SealedEnvelope e : batch) {
      assertThat(submit(e).getReplayed()).as("a retry of a refused record is judged afresh").isFalse();
      assertThat(submit(e).getReplayed()).as("and a second retry gets the stored answer").isTrue();
    }
    assertThat(rows("SELECT count(*) FROM message WHERE idempotency_key = ANY(?)", keys))
        .as("each retried record stored once").isEqualTo(batch.size());
    assertThat(gateway.admin().verifyAudit().firstBreak()).isEmpty();
  }

  @Test
  void oneCallersInvalidRecordFailsThatCallerAloneAndTheRestOfItsBatchIsAccepted() throws Exception {
    assertThat(submit(settlement("taken", "S-taken")).getReplayed()).isFalse();
    List<SealedEnvelope> batch = new ArrayList<>();
    batch.add(settlement("taken", "S-other-content")); // the key, reused for another record
    for (int i = 1; i < BATCH; i++) {
      batch.add(settlement("beside-" + i, "S-" + i));
    }
    List<Future<Acceptance>> outcomes = inOneBatch(settlement("before", "S-before"), batch);

    assertThat(outcomes.get(0).get(30, TimeUnit.SECONDS).getReplayed()).isFalse();
    var failure = org.assertj.core.api.Assertions.catchThrowableOfType(() -> outcomes.get(1).get(30, TimeUnit.SECONDS),
        java.util.concurrent.ExecutionException.class);
    assertThat(failure).isNotNull();
    StatusRuntimeException refused = (StatusRuntimeException) failure.getCause();
    assertThat(Errors.reason(refused)).contains(ErrorReason.IDEMPOTENCY_KEY_REUSED);
    List<String> keys = new ArrayList<>();
    for (int i = 1; i < BATCH; i++) {
      assertThat(outcomes.get(1 + i).get(30, TimeUnit.SECONDS).getReplayed()).as("caller %d beside it", i).isFalse();
      keys.add("beside-" + i);
    }
    assertThat(rows("SELECT count(*) FROM message WHERE idempotency_key = ANY(?)", keys)).isEqualTo(BATCH - 1);
    assertThat(rows("SELECT count(*) FROM message WHERE idempotency_key = ANY(?)", List.of("taken"))).isOne();
    assertThat(gateway.admin().verifyAudit().firstBreak()).isEmpty();
  }

  @Test
  void oneEnvelopeTwiceInOneBatchIsStoredOnceAndTheSecondCallerGetsTheStoredAnswer() throws Exception {
    SealedEnvelope twice = settlement("twice", "S-twice");
    List<SealedEnvelope> batch = new ArrayList<>();
    batch.add(twice);
    for (int i = 1; i < BATCH - 1; i++) {
      batch.add(settlement("between-" + i, "S-" + i));
    }
    batch.add(twice);
    List<Future<Acceptance>> outcomes = inOneBatch(settlement("before", "S-before"), batch);

    List<Boolean> replayed = new ArrayList<>();
    for (Future<Acceptance> outcome : outcomes) {
      replayed.add(outcome.get(30, TimeUnit.SECONDS).getReplayed());
    }
    assertThat(replayed.get(1) ^ replayed.get(BATCH)).as("one of the two is the stored answer: %s", replayed).isTrue();
    assertThat(outcomes.get(1).get().getMessageId()).isEqualTo(outcomes.get(BATCH).get().getMessageId());
    assertThat(replayed.subList(2, BATCH)).as("the others of the batch").containsOnly(false);
    String messageId = io.hmb.api.v1.EnvelopeHeader.parseFrom(twice.getHeader()).getMessageId();
    assertThat(rows("SELECT count(*) FROM message WHERE idempotency_key = ANY(?)", List.of("twice"))).isOne();
    assertThat(rows("SELECT count(*) FROM audit_event WHERE event = 'ACCEPTED' AND message_id = ANY(?)",
        List.of(messageId))).isOne();
    assertThat(gateway.admin().verifyAudit().firstBreak()).isEmpty();
  }
}
