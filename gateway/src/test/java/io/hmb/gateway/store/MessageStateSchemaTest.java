package io.hmb.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.gateway.support.DatabaseConsole;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.intake.Delivery;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The message table's CHECK (V8) and MessageState name the same states, each with the same delivery mode. */
class MessageStateSchemaTest {
  private static final Pattern LITERAL = Pattern.compile("'([A-Z_]+)'");

  @Test
  void theCheckConstraintListsExactlyTheEnumsStatesEachForItsMode(@TempDir Path dataDir) throws Exception {
    try (Gateway gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir), Clock.systemUTC());
         DatabaseConsole sql = DatabaseConsole.of(dataDir);
         Connection c = sql.connect()) {
      String check;
      try (ResultSet rs = c.createStatement().executeQuery("SELECT pg_get_constraintdef(oid) FROM pg_constraint "
          + "WHERE conrelid = 'message'::regclass AND conname = 'message_state_known'")) {
        assertThat(rs.next()).as("constraint message_state_known").isTrue();
        check = rs.getString(1);
      }
      Set<String> named = new TreeSet<>();
      Matcher m = LITERAL.matcher(check);
      while (m.find()) {
        named.add(m.group(1));
      }
      Set<String> expected = Stream.concat(Arrays.stream(MessageState.values()).map(Enum::name),
          Arrays.stream(Delivery.values()).map(Enum::name)).collect(Collectors.toCollection(TreeSet::new));
      assertThat(named).as("literals in %s", check).isEqualTo(expected);

      c.setAutoCommit(false);
      try {
        for (MessageState state : MessageState.values()) {
          for (Delivery delivery : Delivery.values()) {
            assertThat(inserts(c, state.name(), delivery)).as("%s with %s", state, delivery)
                .isEqualTo(state.delivery() == delivery);
          }
        }
        assertThat(inserts(c, "DELIVERING_SOMEWHERE", Delivery.STORE_AND_FORWARD)).isFalse();
      } finally {
        c.rollback();
      }
    }
  }

  private static int n;

  /** Whether a message row in this state and mode passes the table's constraints. */
  private static boolean inserts(Connection c, String state, Delivery delivery) throws SQLException {
    Savepoint before = c.setSavepoint();
    try (PreparedStatement s = c.prepareStatement("INSERT INTO message(message_id, sender, recipient, message_type, "
        + "admdvs, nonce, ciphertext_digest, delivery, state, received_at, expire_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
      n++;
      s.setString(1, "state-check-" + n);
      s.setString(2, "BUREAU-210200");
      s.setString(3, "INSURER-LEAD-210200");
      s.setString(4, "MESSAGE_TYPE_SETTLEMENT_DATA");
      s.setString(5, "210200");
      s.setBytes(6, new byte[] {(byte) n, (byte) (n >> 8)});
      s.setBytes(7, new byte[32]);
      s.setString(8, delivery.name());
      s.setString(9, state);
      s.setTimestamp(10, Timestamp.from(Instant.now()));
      s.setTimestamp(11, Timestamp.from(Instant.now().plusSeconds(300)));
      s.executeUpdate();
      c.releaseSavepoint(before);
      return true;
    } catch (SQLException refused) {
      assertThat(refused.getSQLState()).as(refused.getMessage()).isEqualTo("23514"); // check_violation
      c.rollback(before);
      return false;
    }
  }
}
