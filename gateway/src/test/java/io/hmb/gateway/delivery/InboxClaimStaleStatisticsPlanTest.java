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
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbox claim reads what it claims and what is in flight even when the statistics know nothing of the backlog:
 * taken while the queue was empty (20,000 acknowledged), as on a gateway analysed before a
 * burst; then a recipient has 950 deliveries in flight under its window of 1,000 and 5,000 messages waiting, as in
 * the bench's settlement step. Its generic plan estimated one row everywhere and read the recipient's whole backlog
 * twice: the messages whose lease ended through message_inbox in id order (every message in flight or waiting removed
 * by a filter), and the claimable ones by a bitmap scan of every waiting message, sorted and merged with the ids
 * chosen (found under load: 32 ms and about 18,000 rows read for a claim of 43).
 */
class InboxClaimStaleStatisticsPlanTest {
  private static final String T = "TIMESTAMPTZ '2026-12-03 08:00:00Z'";
  private static final int WINDOW = 1_000;
  private static final int IN_FLIGHT = 950;
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
      s.execute(messages("acked-", 1, 20_000, "STALE-INS-A", "ACKNOWLEDGED", T));
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
  void aClaimOfTheRoomLeftReadsTheRoomAndWhatIsInFlightNotTheBacklog() throws Exception {
    Claim claim = claim("STALE-INS-A");
    // 950 in flight: room for 50, the oldest waiting.
    assertThat(claim.claimed()).as(claim.plan()).hasSize(WINDOW - IN_FLIGHT);
    assertThat(claim.claimed().get(0)).as(claim.plan()).isEqualTo(claim.firstWaiting());
    assertThat(claim.rowsRead()).as(claim.plan()).isLessThan(IN_FLIGHT + 200);
  }

  @Test
  void anotherRecipientsBacklogIsNotRead() throws Exception {
    Claim claim = claim("STALE-INS-B");
    assertThat(claim.claimed()).as(claim.plan()).isEmpty();
    assertThat(claim.rowsRead()).as(claim.plan()).isLessThan(100);
  }

  record Claim(List<Long> claimed, long firstWaiting, long rowsRead, String plan) {}

  /**
   * In a transaction rolled back afterwards: STALE-INS-A's 950 in flight and 5,000 waiting (the statistics do not know
   * them), then the claim by {@code recipient} under a window of 1,000, as a generic plan under EXPLAIN ANALYZE.
   */
  private static Claim claim(String recipient) throws Exception {
    try (Connection c = sql.connect(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      try {
        s.execute(messages("flying-", 1, IN_FLIGHT, "STALE-INS-A", "DELIVERED", T + " + INTERVAL '1 minute'"));
        s.execute(messages("waiting-", 1, WAITING, "STALE-INS-A", "ACCEPTED", "NULL"));
        long firstWaiting;
        try (ResultSet rs = s.executeQuery("SELECT id FROM message WHERE message_id = 'waiting-1'")) {
          rs.next();
          firstWaiting = rs.getLong(1);
        }
        s.execute("SET LOCAL plan_cache_mode = force_generic_plan");
        s.execute("PREPARE claim AS " + QueryPlans.numbered(DeliveryQueue.CLAIM_INBOX));
        String r = "'" + recipient + "'";
        String args = String.join(", ", WINDOW + "", r, T, r, T, r, T, T + " + INTERVAL '2 minutes'", T, T,
            "'DELIVERED'", "'inbox'");
        StringBuilder plan = new StringBuilder();
        try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE) EXECUTE claim(" + args + ")")) {
          while (rs.next()) {
            plan.append(rs.getString(1)).append('\n');
          }
        }
        List<Long> claimed = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT id FROM message WHERE recipient = " + r + " AND lease_until = "
            + T + " + INTERVAL '2 minutes' AND state = 'DELIVERED' ORDER BY id")) {
          while (rs.next()) {
            claimed.add(rs.getLong(1));
          }
        }
        return new Claim(claimed, firstWaiting, QueryPlans.rowsReadFromMessage(plan.toString()), plan.toString());
      } finally {
        c.rollback();
        s.execute("DEALLOCATE ALL"); // prepared statements outlive the transaction, and the connection is pooled
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
