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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An inbox acknowledgement reads the messages it names, not the recipient's backlog. The table's statistics were
 * taken while the queue was nearly empty (20,000 acknowledged, 10 in flight), as on a gateway analysed before an
 * outage; then 3,000 deliveries are outstanding. Before the acknowledgement looked its ids up first, its generic plan
 * walked all of them through message_pair_order and compared each with every id named (the bench found it: 15 ms
 * for 34 ids under load).
 */
class InboxAcknowledgePlanTest {
  private static final String T = "TIMESTAMPTZ '2026-12-02 12:00:00Z'";
  private static final int BACKLOG = 3_000;

  @TempDir static Path dataDir;
  private static Gateway gateway;
  private static DatabaseConsole sql;

  @BeforeAll
  static void aTableAnalysedWhileItsQueueWasEmpty() throws Exception {
    gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir), Clock.systemUTC());
    sql = DatabaseConsole.of(dataDir);
    try (Connection c = sql.connect(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO participant(code, role, admdvs, display_name) VALUES ('ACK-BUREAU', 'BUREAU', '210200', 'b'), "
          + "('ACK-INS-A', 'INSURER', '210200', 'a'), ('ACK-INS-B', 'INSURER', '210200', 'b')");
      s.execute(messages("acked-", 1, 20_000, "ACK-INS-A", "ACKNOWLEDGED"));
      s.execute(messages("early-", 1, 10, "ACK-INS-A", "DELIVERED"));
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
    Ack ack = acknowledge("ACK-INS-A", 10);
    assertThat(ack.acknowledged()).as(ack.plan()).isEqualTo(10);
    assertThat(ack.rowsRead()).as(ack.plan()).isLessThan(60);
  }

  @Test
  void anotherRecipientsMessagesAreNotAcknowledged() throws Exception {
    Ack ack = acknowledge("ACK-INS-B", 10);
    assertThat(ack.acknowledged()).as(ack.plan()).isZero();
    assertThat(ack.rowsRead()).as(ack.plan()).isLessThan(60);
  }

  record Ack(long acknowledged, long rowsRead, String plan) {}

  /**
   * In a transaction rolled back afterwards: 3,000 deliveries to ACK-INS-A outstanding (the statistics do not know
   * them), then the acknowledgement, by {@code recipient}, of the first {@code n} of them, as a generic plan under
   * EXPLAIN ANALYZE.
   */
  private static Ack acknowledge(String recipient, int n) throws Exception {
    try (Connection c = sql.connect(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      try {
        s.execute(messages("out-", 1, BACKLOG, "ACK-INS-A", "DELIVERED"));
        s.execute("SET LOCAL plan_cache_mode = force_generic_plan");
        s.execute("PREPARE ack AS " + QueryPlans.numbered(DeliveryQueue.ACKNOWLEDGE_INBOX));
        String ids = "(SELECT array_agg('out-' || g) FROM generate_series(1, " + n + ") g)";
        StringBuilder plan = new StringBuilder();
        // EXECUTE takes no subquery as a parameter: the ids go through a variable of this transaction.
        try (ResultSet rs = s.executeQuery("SELECT set_config('hmb.test_ids', " + ids + "::text, true)")) {
          rs.next();
        }
        try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE) EXECUTE ack(current_setting('hmb.test_ids')::text[], '"
            + recipient + "', " + T + ", " + T + ", 'ACKNOWLEDGED', 'inbox')")) {
          while (rs.next()) {
            plan.append(rs.getString(1)).append('\n');
          }
        }
        long acknowledged;
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM message WHERE message_id LIKE 'out-%' AND state = 'ACKNOWLEDGED'")) {
          rs.next();
          acknowledged = rs.getLong(1);
        }
        return new Ack(acknowledged, QueryPlans.rowsReadFromMessage(plan.toString()), plan.toString());
      } finally {
        c.rollback();
        s.execute("DEALLOCATE ALL"); // prepared statements outlive the transaction, and the connection is pooled
      }
    }
  }

  /** Settlements {@code from..to} named {@code prefix}N from ACK-BUREAU to {@code recipient} in {@code state}. */
  private static String messages(String prefix, int from, int to, String recipient, String state) {
    return "INSERT INTO message(message_id, sender, recipient, message_type, admdvs, nonce, ciphertext_digest, delivery, "
        + "state, attempts, lease_until, received_at, expire_at) SELECT '" + prefix + "' || g, 'ACK-BUREAU', '" + recipient
        + "', 'MESSAGE_TYPE_SETTLEMENT_DATA', '210200', convert_to('" + prefix + "' || g, 'UTF8'), '\\x00', "
        + "'STORE_AND_FORWARD', '" + state + "', 1, CASE WHEN '" + state + "' = 'DELIVERED' THEN " + T
        + " + INTERVAL '1 minute' END, " + T + ", " + T + " + INTERVAL '1 day' FROM generate_series(" + from + ", " + to + ") g";
  }
}
