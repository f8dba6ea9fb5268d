package io.hmb.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.gateway.support.DatabaseConsole;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.db.Transactions;
import io.hmb.gateway.intake.Delivery;
import io.hmb.gateway.store.MessageStore.Durability;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageStoreDurabilityTest {
  @Test
  void onlyQuestionsMayCommitAsynchronouslyAndOnlyWhenTheOperatorSaysSo() {
    assertThat(Durability.of(true, Delivery.PASS_THROUGH, "")).isEqualTo(Durability.ASYNCHRONOUS);
    assertThat(Durability.of(false, Delivery.PASS_THROUGH, "")).isEqualTo(Durability.SYNCHRONOUS);
    // A key means an operation (a deduction, a binding quote): its record always waits for the disk.
    assertThat(Durability.of(true, Delivery.PASS_THROUGH, "deduct-2025-0001")).isEqualTo(Durability.SYNCHRONOUS);
    assertThat(Durability.of(true, Delivery.STORE_AND_FORWARD, "")).isEqualTo(Durability.SYNCHRONOUS);
  }

  @Test
  void anAsynchronousQuestionIsRecordedAndAuditedLikeAnyOther(@TempDir Path dataDir) throws Exception {
    try (Gateway gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir), Clock.systemUTC());
         DatabaseConsole sql = DatabaseConsole.asGateway(dataDir)) {
      MessageStore store = new MessageStore(new Transactions(sql.dataSource()));
      String id = UUID.randomUUID().toString();
      MessageRef ref = new MessageRef(id, "HOSPITAL-210200-01", "INSURER-LEAD-210200", "MESSAGE_TYPE_COVERAGE_QUERY",
          "210200", new byte[32]);
      Instant now = Instant.now();
      Admission first = store.admit(new MessageStore.Incoming(ref, "dalian-2025-basic", "", new byte[0], new byte[16],
          Delivery.PASS_THROUGH, null, now.plusSeconds(300), Durability.ASYNCHRONOUS), now, null);
      assertThat(first).isInstanceOf(Admission.Fresh.class);
      store.recordAnswer(((Admission.Fresh) first).rowId(), ref, new byte[] {1, 2, 3}, now, Durability.ASYNCHRONOUS);

      try (Connection c = sql.connect();
           PreparedStatement s = c.prepareStatement("SELECT m.state, (SELECT count(*) FROM audit_event a WHERE a.message_id = ?) "
               + "FROM message m WHERE m.message_id = ?")) {
        s.setString(1, id);
        s.setString(2, id);
        try (ResultSet rs = s.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("ANSWERED");
          assertThat(rs.getInt(2)).isEqualTo(2); // FORWARDED, ANSWERED
        }
        // SET LOCAL ends with its transaction: the pool's connections stay synchronous.
        try (ResultSet rs = c.createStatement().executeQuery("SHOW synchronous_commit")) {
          rs.next();
          assertThat(rs.getString(1)).isEqualTo("on");
        }
      }
    }
  }
}
