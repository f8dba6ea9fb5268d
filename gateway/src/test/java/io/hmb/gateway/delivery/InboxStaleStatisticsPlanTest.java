package io.hmb.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.support.DatabaseConsole;
import io.hmb.gateway.support.QueryPlans;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbox's acknowledgement and claim read what they need even when the table's statistics know nothing of the
 * backlog: taken while the queue was nearly empty (20,000 acknowledged, 10 in flight), as on a gateway analysed
 * before an outage or a burst; then, in a transaction rolled back afterwards, the backlog. Generic plans (the ones a
 * pooled connection's prepared statement settles on) estimated one row everywhere and read the whole backlog:
 * <ul>
 *   <li>the acknowledgement walked the recipient's outstanding deliveries through message_pair_order and compared
 *       each with every id named (the bench found it: 15 ms for 34 ids under load);
 *   <li>the claim read the messages whose lease ended through message_inbox in id order (everything in flight or
 *       waiting removed by a filter), and the claimable ones by bitmap scans of every recipient's waiting messages,
 *       sorted and merged with the ids chosen (under the bench's load: 32 ms for a claim of 43).
 * </ul>
 */
class InboxStaleStatisticsPlanTest {
  private static final String T = "TIMESTAMPTZ '2026-12-02 12:00:00Z'";
  private static final String LEASED = T + " + INTERVAL '1 minute'";
  private static final int EARLY = 10;
  private static final int BACKLOG = 3_000;
  private static final int WINDOW = 1_000;
  private static final int FLYING = 940;
  private static final int WAITING = 5_000;

  @TempDir static Path dataDir;
  private static Gateway gateway;
  private static DatabaseConsole sql;

  @BeforeAll
  static void aTableAnalysedWhileItsQueueWasEmpty() throws Exception {
    gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir), Clock.systemUTC());
    sql = DatabaseConsole.of(dataDir);
    try (Connection c = sql.connect(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO participant(code, role, admdvs, display_name) VALUES ('STALE-BUREAU', 'BUREAU', '210200', "
          + "'b'), ('STALE-INS-A', 'INSURER', '210200', 'a'), ('STALE-INS-B', 'INSURER', '210200', 'b')");
      s.execute(messages("acked-", 1, 20_000, "STALE-INS-A", "ACKNOWLEDGED", "NULL"));
      s.execute(messages("early-", 1, EARLY, "STALE-INS-A", "DELIVERED", LEASED));
      s.execute("ANALYZE message");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (sql != null) {
      sql.close();
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void anAcknowledgementOfTenReadsTheTenNotTheBacklog() throws Exception {
    Ack ack = acknowledge("STALE-INS-A", 10);
    assertThat(ack.acknowledged()).as(ack.plan()).isEqualTo(10);
    assertThat(ack.rowsRead()).as(ack.plan()).isLessThan(60);
  }

  @Test
  void anotherRecipientsMessagesAreNotAcknowledged() throws Exception {
    Ack ack = acknowledge("STALE-INS-B", 10);
    assertThat(ack.acknowledged()).as(ack.plan()).isZero();
    assertThat(ack.rowsRead()).as(ack.plan()).isLessThan(60);
  }

  @Test
  void aClaimOfTheRoomLeftReadsTheRoomAndWhatIsInFlightNotTheBacklog() throws Exception {
    Claim claim = claim("STALE-INS-A");
    // 10 + 940 in flight: room for 50, the oldest waiting.
    assertThat(claim.claimed()).as(claim.plan()).hasSize(WINDOW - EARLY - FLYING);
    assertThat(claim.claimed().get(0)).as(claim.plan()).isEqualTo(claim.firstWaiting());
    assertThat(claim.rowsRead()).as(claim.plan()).isLessThan(EARLY + FLYING + 200);
  }

  @Test
  void aClaimDoesNotReadAnotherRecipientsBacklog() throws Exception {
    Claim claim = claim("STALE-INS-B");
    assertThat(claim.claimed()).as(claim.plan()).isEmpty();
    assertThat(claim.rowsRead()).as(claim.plan()).isLessThan(100);
  }

  record Ack(long acknowledged, long rowsRead, String plan) {}

  record Claim(List<Long> claimed, long firstWaiting, long rowsRead, String plan) {}

  /**
   * 3,000 deliveries to STALE-INS-A outstanding, then the acknowledgement, by {@code recipient}, of the first
   * {@code n} of them.
   */
  private static Ack acknowledge(String recipient, int n) throws Exception {
    try (Connection c = sql.connect(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      try {
        s.execute(messages("out-", 1, BACKLOG, "STALE-INS-A", "DELIVERED", LEASED));
        String ids = "(SELECT array_agg('out-' || g) FROM generate_series(1, " + n + ") g)";
        // EXECUTE takes no subquery as a parameter: the ids go through a variable of this transaction.
        try (ResultSet rs = s.executeQuery("SELECT set_config('hmb.test_ids', " + ids + "::text, true)")) {
          rs.next();
        }
        String plan = QueryPlans.genericPlan(s, DeliveryQueue.ACKNOWLEDGE_INBOX, "current_setting('hmb.test_ids')::text[], '"
            + recipient + "', " + T + ", " + T + ", 'ACKNOWLEDGED', 'inbox'");
        long acknowledged;
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM message WHERE message_id LIKE 'out-%' AND state = 'ACKNOWLEDGED'")) {
          rs.next();
          acknowledged = rs.getLong(1);
        }
        return new Ack(acknowledged, QueryPlans.rowsReadFromMessage(plan), plan);
      } finally {
        c.rollback();
        s.execute("DEALLOCATE ALL"); // prepared statements outlive the transaction, and the connection is pooled
      }
    }
  }

  /** STALE-INS-A's 940 more in flight and 5,000 waiting, then the claim by {@code recipient} under a window of 1,000. */
  private static Claim claim(String recipient) throws Exception {
    try (Connection c = sql.connect(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      try {
        s.execute(messages("flying-", 1, FLYING, "STALE-INS-A", "DELIVERED", LEASED));
        s.execute(messages("waiting-", 1, WAITING, "STALE-INS-A", "ACCEPTED", "NULL"));
        long firstWaiting;
        try (ResultSet rs = s.executeQuery("SELECT id FROM message WHERE message_id = 'waiting-1'")) {
          rs.next();
          firstWaiting = rs.getLong(1);
        }
        String r = "'" + recipient + "'";
        String plan = QueryPlans.genericPlan(s, DeliveryQueue.CLAIM_INBOX, String.join(", ", WINDOW + "", r, T, r, T, r, T,
            T + " + INTERVAL '2 minutes'", T, T, "'DELIVERED'", "'inbox'"));
        List<Long> claimed = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT id FROM message WHERE recipient = " + r + " AND lease_until = "
            + T + " + INTERVAL '2 minutes' AND state = 'DELIVERED' ORDER BY id")) {
          while (rs.next()) {
            claimed.add(rs.getLong(1));
          }
        }
        return new Claim(claimed, firstWaiting, QueryPlans.rowsReadFromMessage(plan), plan);
      } finally {
        c.rollback();
        s.execute("DEALLOCATE ALL");
      }
    }
  }

  /** Settlements {@code from..to} named {@code prefix}N from STALE-BUREAU to {@code recipient} in {@code state}. */
  private static String messages(String prefix, int from, int to, String recipient, String state, String leaseUntil) {
    return "INSERT INTO message(message_id, sender, recipient, message_type, admdvs, nonce, ciphertext_digest, delivery, "
        + "state, attempts, next_attempt_at, lease_until, received_at, expire_at) SELECT '" + prefix + "' || g, "
        + "'STALE-BUREAU', '" + recipient + "', 'MESSAGE_TYPE_SETTLEMENT_DATA', '210200', convert_to('" + prefix
        + "' || g, 'UTF8'), '\\x00', 'STORE_AND_FORWARD', '" + state + "', 1, " + T + ", " + leaseUntil + ", " + T
        + ", " + T + " + INTERVAL '1 day' FROM generate_series(" + from + ", " + to + ") g";
  }
}
