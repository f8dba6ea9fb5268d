package io.hmb.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.gateway.support.DatabaseConsole;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.db.Transactions;
import io.hmb.gateway.store.MessageRef;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An event's id is taken when it is inserted, but its transaction may commit after a later event's has
 * been chained. The chainer must still link it, once, and find its work without scanning the trail.
 */
class AuditChainLateCommitTest {
  /** "(actual time=0.091..4.250 rows=3966 loops=1)": what one step of a plan really read. */
  private static final Pattern ACTUAL_ROWS = Pattern.compile("actual time=[0-9.]+\\.\\.[0-9.]+ rows=([0-9]+)");

  private static MessageRef ref(String id) {
    return new MessageRef(id, "BUREAU-210200", "INSURER-LEAD-210200", "MESSAGE_TYPE_SETTLEMENT_DATA", "210200", new byte[32]);
  }

  /**
   * Until a pass of this test's own finds nothing left. The gateway's chainer runs too, and a pass that
   * finds the chain locked by it says nothing about what is left: stopping there was this test's
   * flakiness under load (it then saw "early" unchained).
   */
  private static void chainAll(AuditChain chain) throws Exception {
    assertThat(chain.catchUp(Duration.ofSeconds(30))).as("the chain caught up within 30 s").isTrue();
  }

  private static boolean chained(DatabaseConsole sql, String messageId) throws Exception {
    try (Connection c = sql.connect();
         var s = c.prepareStatement("SELECT count(*) FROM audit_chain ch JOIN audit_event e ON e.id = ch.event_id "
             + "WHERE e.message_id = ?")) {
      s.setString(1, messageId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1) == 1;
      }
    }
  }

  @Test
  void anEventCommittedAfterALaterOneWasChainedIsChainedOnceInALaterPass(@TempDir Path dataDir) throws Exception {
    try (Gateway gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir), Clock.systemUTC());
         DatabaseConsole sql = DatabaseConsole.asGateway(dataDir);
         Connection late = sql.connect()) {
      Transactions tx = new Transactions(sql.dataSource());
      AuditChain chain = new AuditChain(tx);
      late.setAutoCommit(false);
      AuditLog.append(late, Instant.now(), AuditEvent.ACCEPTED, ref("late"), "");   // takes the lower id
      tx.inTransaction(c -> {
        AuditLog.append(c, Instant.now(), AuditEvent.ACCEPTED, ref("early"), "");
        return null;
      });

      // The gateway's own chainer runs too; whichever pass links them, the outcome must be the same.
      chainAll(chain);
      assertThat(chained(sql, "early")).isTrue();
      assertThat(chained(sql, "late")).as("not committed yet, so not chained").isFalse();
      late.commit();
      chainAll(chain);
      assertThat(chained(sql, "late")).isTrue();

      AuditChain.Verification v = chain.verify();
      assertThat(v.intact()).isTrue();
      assertThat(v.unchainedEvents()).isZero();
      try (Connection c = sql.connect();
           ResultSet rs = c.createStatement().executeQuery("SELECT e.message_id FROM audit_chain ch JOIN audit_event e "
               + "ON e.id = ch.event_id WHERE e.message_id IN ('late', 'early') ORDER BY ch.position")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("early");
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("late");
        assertThat(rs.next()).isFalse();
      }
    }
  }

  @Test
  void aPassThatFindsTheChainLockedElsewhereIsNotMistakenForCaughtUp(@TempDir Path dataDir) throws Exception {
    try (Gateway gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir), Clock.systemUTC());
         DatabaseConsole sql = DatabaseConsole.asGateway(dataDir);
         Connection otherChainer = sql.connect()) {
      Transactions tx = new Transactions(sql.dataSource());
      AuditChain chain = new AuditChain(tx);
      chainAll(chain);
      otherChainer.setAutoCommit(false);
      try (var s = otherChainer.createStatement()) {
        s.execute("SELECT pg_advisory_xact_lock(" + AuditChain.CHAIN_LOCK + ")");
      }
      appendEvents(tx, "while-locked-", 3);

      assertThat(chain.chainPending()).isEqualTo(ChainPass.LOCKED_ELSEWHERE);
      assertThat(chain.catchUp(Duration.ofMillis(200))).as("cannot catch up while another chainer holds the chain")
          .isFalse();
      assertThat(chained(sql, "while-locked-0")).isFalse();

      otherChainer.rollback();
      assertThat(chain.catchUp(Duration.ofSeconds(30))).isTrue();
      assertThat(chained(sql, "while-locked-2")).isTrue();
      assertThat(chain.chainPending()).isEqualTo(ChainPass.CAUGHT_UP);
    }
  }

  @Test
  void aPassReadsOnlyTheUnchainedEventsHoweverLongTheTrail(@TempDir Path dataDir) throws Exception {
    try (Gateway gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir), Clock.systemUTC());
         DatabaseConsole sql = DatabaseConsole.asGateway(dataDir)) {
      Transactions tx = new Transactions(sql.dataSource());
      AuditChain chain = new AuditChain(tx);
      appendEvents(tx, "old-", 3_000);
      chainAll(chain);
      // The floor a linking pass keeps was proposed by the linking pass before it: after two, it is past the old.
      appendEvents(tx, "newer-", 5);
      chainAll(chain);
      appendEvents(tx, "new-", 5);
      long floor;
      long lastTaken;
      try (Connection c = sql.connect(); var s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery("SELECT floor FROM audit_chain ORDER BY position DESC LIMIT 1")) {
          rs.next();
          floor = rs.getLong(1);
        }
        try (ResultSet rs = s.executeQuery("SELECT pg_sequence_last_value('audit_event_id_seq')")) {
          rs.next();
          lastTaken = rs.getLong(1);
        }
      }
      assertThat(floor).as("the newest row's floor").isGreaterThanOrEqualTo(3_000);

      long mostRowsOfOneStep = 0;
      StringBuilder plan = new StringBuilder();
      try (Connection c = sql.connect();
           ResultSet rs = c.createStatement().executeQuery(
               "EXPLAIN ANALYZE " + AuditChain.NEXT_BATCH.replaceFirst("\\?", Long.toString(floor))
                   .replaceFirst("\\?", Long.toString(lastTaken)).replaceFirst("\\?", "1000"))) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
          Matcher actual = ACTUAL_ROWS.matcher(rs.getString(1));
          if (actual.find()) {
            mostRowsOfOneStep = Math.max(mostRowsOfOneStep, Long.parseLong(actual.group(1)));
          }
        }
      }
      assertThat(mostRowsOfOneStep).as("rows read by the largest step of the chainer's query, with 3,000 events "
          + "chained and at most 10 above the floor:%n%s", plan).isLessThanOrEqualTo(50);
    }
  }

  private static void appendEvents(Transactions tx, String prefix, int n) throws Exception {
    tx.inTransaction(c -> {
      for (int i = 0; i < n; i++) {
        AuditLog.append(c, Instant.now(), AuditEvent.ACCEPTED, ref(prefix + i), "");
      }
      return null;
    });
  }
}
