package io.hmb.gateway.metrics;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox gauges, refreshed every 5 s, read the backlog and the dead letters, not every message ever accepted. On
 * a table like a busy gateway's (20,000 settlements acknowledged, 10,000 coverage checks answered, 40 waiting, 7 dead
 * letters) they must still count right. Before V15 and the queue_state filter, the refresh read all 30,047 rows.
 */
class OutboxGaugesPlanTest {
  private static final int QUEUED = 40;
  private static final int DEAD = 7;

  @Test
  void theGaugesReadTheBacklogAndTheDeadLettersNotTheTable(@TempDir Path dataDir) throws Exception {
    try (Gateway gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir), Clock.systemUTC());
         DatabaseConsole sql = DatabaseConsole.of(dataDir);
         GatewayMetrics metrics = new GatewayMetrics()) {
      try (Connection c = sql.connect(); Statement s = c.createStatement()) {
        s.execute(messages("acked-", 20_000, "STORE_AND_FORWARD", "ACKNOWLEDGED", "2 hours"));
        s.execute(messages("answered-", 10_000, "PASS_THROUGH", "ANSWERED", "2 hours"));
        s.execute(messages("waiting-", QUEUED, "STORE_AND_FORWARD", "ACCEPTED", "1 hour"));
        s.execute(messages("dead-", DEAD, "STORE_AND_FORWARD", "DEAD_LETTERED", "3 hours"));
        s.execute("ANALYZE message");
      }
      StringBuilder plan = new StringBuilder();
      try (Connection c = sql.connect();
           ResultSet rs = c.createStatement().executeQuery("EXPLAIN (ANALYZE) " + GatewayMetrics.OUTBOX_GAUGES)) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
      assertThat(QueryPlans.rowsReadFromMessage(plan.toString())).as(plan.toString()).isLessThan(200);

      metrics.refreshOutbox(new Transactions(sql.dataSource()));
      String scraped = metrics.scrape();
      assertThat(gauge(scraped, "hmb_outbox_depth")).as(scraped).isEqualTo(QUEUED);
      assertThat(gauge(scraped, "hmb_dead_letters")).as(scraped).isEqualTo(DEAD);
      // The oldest waiting was received an hour ago; the dead letters and the acknowledged are not waiting.
      assertThat(gauge(scraped, "hmb_outbox_oldest_age_seconds")).as(scraped).isBetween(3_600.0, 3_600.0 + 600);
    }
  }

  private static double gauge(String scraped, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? (\\S+)$").matcher(scraped);
    assertThat(m.find()).as(name + " in\n" + scraped).isTrue();
    return Double.parseDouble(m.group(1));
  }

  /** {@code n} messages named {@code prefix}N, received {@code age} ago, in {@code state}. */
  private static String messages(String prefix, int n, String delivery, String state, String age) {
    return "INSERT INTO message(message_id, sender, recipient, message_type, admdvs, nonce, ciphertext_digest, delivery, "
        + "state, attempts, received_at, expire_at) SELECT '" + prefix + "' || g, 'GAUGE-BUREAU', 'GAUGE-INSURER', "
        + "'MESSAGE_TYPE_SETTLEMENT_DATA', '210200', convert_to('" + prefix + "' || g, 'UTF8'), '\\x00', '" + delivery
        + "', '" + state + "', 1, now() - INTERVAL '" + age + "', now() + INTERVAL '1 day' FROM generate_series(1, " + n + ") g";
  }
}
