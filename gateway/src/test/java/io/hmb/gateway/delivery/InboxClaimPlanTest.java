package io.hmb.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.db.Transactions;
import io.hmb.gateway.support.DatabaseConsole;
import io.hmb.gateway.support.QueryPlans;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbox claim's cost does not grow with the backlog. On a message table like a busy gateway's (50,000
 * acknowledged messages, two recipients with 2,000 waiting each, one of them with 100 in flight), the claim's
 * generic plan (the one a pooled connection's prepared statement settles on) reads, in all its scans of
 * {@code message}, about what it claims plus what is in flight: not the waiting messages of every recipient, nor
 * the recipient's whole backlog. Before V14 the same table gave about 4,000 rows read for a claim of 5. And the
 * claim takes over a push whose lease ended (MessageState: DELIVERING to DELIVERED), oldest first.
 */
class InboxClaimPlanTest {
  private static final String T = "TIMESTAMPTZ '2026-12-02 12:00:00Z'";
  private static final int ACKNOWLEDGED = 50_000;
  private static final int IN_FLIGHT = 100;
  private static final int WAITING_EACH = 2_000;

  @TempDir static Path dataDir;
  private static Gateway gateway;
  private static DatabaseConsole sql;

  @BeforeAll
  static void aBusyGatewaysTable() throws Exception {
    gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir), Clock.systemUTC());
    sql = DatabaseConsole.of(dataDir);
    try (Connection c = sql.connect(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO participant(code, role, admdvs, display_name) VALUES ('PLAN-BUREAU', 'BUREAU', '210200', 'b'), "
          + "('PLAN-INS-A', 'INSURER', '210200', 'a'), ('PLAN-INS-B', 'INSURER', '210200', 'b'), "
          + "('PLAN-INS-C', 'INSURER', '210200', 'c')");
      // Oldest first: the acknowledged, then INS-A's in flight (lease until T + 1 min), then both recipients' waiting.
      s.execute("INSERT INTO message(message_id, sender, recipient, message_type, admdvs, nonce, ciphertext_digest, "
          + "delivery, state, attempts, next_attempt_at, lease_until, received_at, expire_at) "
          + "SELECT 'plan-' || g, 'PLAN-BUREAU', CASE WHEN g <= " + (ACKNOWLEDGED + IN_FLIGHT) + " OR g % 2 = 0 "
          + "THEN 'PLAN-INS-A' ELSE 'PLAN-INS-B' END, 'MESSAGE_TYPE_SETTLEMENT_DATA', '210200', int8send(g), '\\x00', "
          + "'STORE_AND_FORWARD', CASE WHEN g <= " + ACKNOWLEDGED + " THEN 'ACKNOWLEDGED' WHEN g <= "
          + (ACKNOWLEDGED + IN_FLIGHT) + " THEN 'DELIVERED' ELSE 'ACCEPTED' END, 1, " + T + ", "
          + "CASE WHEN g > " + ACKNOWLEDGED + " AND g <= " + (ACKNOWLEDGED + IN_FLIGHT) + " THEN " + T
          + " + INTERVAL '1 minute' END, " + T + ", " + T + " + INTERVAL '1 day' "
          + "FROM generate_series(1, " + (ACKNOWLEDGED + IN_FLIGHT + 2 * WAITING_EACH) + ") g");
      // INS-C: three pushes whose worker died (DELIVERING, lease ended at T - 1 min), then three waiting.
      s.execute("INSERT INTO message(message_id, sender, recipient, message_type, admdvs, nonce, ciphertext_digest, "
          + "delivery, state, attempts, next_attempt_at, lease_until, received_at, expire_at) "
          + "SELECT 'plan-c-' || g, 'PLAN-BUREAU', 'PLAN-INS-C', 'MESSAGE_TYPE_SETTLEMENT_DATA', '210200', "
          + "int8send(-g), '\\x00', 'STORE_AND_FORWARD', CASE WHEN g <= 3 THEN 'DELIVERING' ELSE 'ACCEPTED' END, 1, "
          + T + ", CASE WHEN g <= 3 THEN " + T + " - INTERVAL '1 minute' END, " + T + ", " + T + " + INTERVAL '1 day' "
          + "FROM generate_series(1, 6) g");
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
  void aClaimWithLeasesRunningReadsWhatItClaimsAndWhatIsInFlight() throws Exception {
    Claim claim = claim("PLAN-INS-A", T, IN_FLIGHT + 5);
    assertThat(claim.claimed()).as(claim.plan()).hasSize(5);
    // INS-A's oldest waiting messages: the first even rows after those in flight.
    long first = ACKNOWLEDGED + IN_FLIGHT + 2;
    assertThat(claim.claimed()).as(claim.plan()).containsExactly(first, first + 2, first + 4, first + 6, first + 8);
    assertThat(claim.rowsRead()).as(claim.plan()).isLessThan(IN_FLIGHT + 100);
  }

  @Test
  void aClaimAfterTheLeasesEndedTakesThoseFirstAndReadsThoseAndItsRoom() throws Exception {
    Claim claim = claim("PLAN-INS-A", T + " + INTERVAL '2 minutes'", 10);
    // The ten oldest of the hundred whose lease ended (they are older than any waiting message).
    List<Long> expected = new ArrayList<>();
    for (long id = ACKNOWLEDGED + 1; id <= ACKNOWLEDGED + 10; id++) {
      expected.add(id);
    }
    assertThat(claim.claimed()).as(claim.plan()).containsExactlyElementsOf(expected);
    assertThat(claim.rowsRead()).as(claim.plan()).isLessThan(IN_FLIGHT + 100);
  }

  @Test
  void noRoomClaimsNothingAndReadsLittle() throws Exception {
    Claim claim = claim("PLAN-INS-A", T, IN_FLIGHT);
    assertThat(claim.claimed()).as(claim.plan()).isEmpty();
    assertThat(claim.rowsRead()).as(claim.plan()).isLessThan(IN_FLIGHT + 20);
  }

  @Test
  void aPushWhoseLeaseEndedIsDeliveredThroughTheInboxBeforeTheWaitingOnes() throws Exception {
    Claim claim = claim("PLAN-INS-C", T, 4);
    long first = ACKNOWLEDGED + IN_FLIGHT + 2 * WAITING_EACH + 1;
    assertThat(claim.claimed()).as(claim.plan()).containsExactly(first, first + 1, first + 2, first + 3);
    assertThat(claim.rowsRead()).as(claim.plan()).isLessThan(30);
  }

  @Test
  void aClaimThatFindsNoRoomSaysTheWindowIsFullAndOneThatFindsNothingWaitingSaysItIsNot() throws Exception {
    DeliveryQueue queue = new DeliveryQueue(new Transactions(sql.dataSource()));
    Instant at = Instant.parse("2026-12-02T12:00:00Z");
    // Neither claim changes a row: INS-A's 100 in flight leave no room; nothing is addressed to the bureau.
    DeliveryQueue.InboxClaim noRoom = queue.claimInbox("PLAN-INS-A", at, at.plusSeconds(60), IN_FLIGHT);
    assertThat(noRoom.messages()).isEmpty();
    assertThat(noRoom.filledWindow()).isTrue();
    DeliveryQueue.InboxClaim nothingWaiting = queue.claimInbox("PLAN-BUREAU", at, at.plusSeconds(60), IN_FLIGHT);
    assertThat(nothingWaiting.messages()).isEmpty();
    assertThat(nothingWaiting.filledWindow()).isFalse();
  }

  record Claim(List<Long> claimed, long rowsRead, String plan) {}

  /**
   * Runs the claim for {@code recipient} at {@code now} as a generic plan under EXPLAIN ANALYZE, in a transaction rolled back
   * afterwards, and returns the ids it claimed (read back before the rollback) and the rows its scans of
   * {@code message} read (returned or removed by a filter, times their loops).
   */
  private static Claim claim(String recipient, String now, int maxInFlight) throws Exception {
    try (Connection c = sql.connect(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      try {
        String r = "'" + recipient + "'";
        String plan = QueryPlans.genericPlan(s, DeliveryQueue.CLAIM_INBOX, String.join(", ", maxInFlight + "", r, now,
            r, now, r, now, now + " + INTERVAL '1 minute'", now, now, "'DELIVERED'", "'inbox'"));
        List<Long> claimed = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT id FROM message WHERE recipient = " + r + " AND lease_until = "
            + now + " + INTERVAL '1 minute' AND state = 'DELIVERED' AND attempts = 2 ORDER BY id")) {
          while (rs.next()) {
            claimed.add(rs.getLong(1));
          }
        }
        return new Claim(claimed, QueryPlans.rowsReadFromMessage(plan), plan);
      } finally {
        c.rollback();
        s.execute("DEALLOCATE ALL"); // prepared statements outlive the transaction, and the connection is pooled
      }
    }
  }
}
