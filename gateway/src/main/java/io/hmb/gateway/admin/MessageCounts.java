package io.hmb.gateway.admin;

import io.hmb.gateway.db.Transactions;
import io.hmb.gateway.store.MessageState;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the gateway recorded of its messages: counts by city and outcome, and one message's audit events. */
public final class MessageCounts {
  private final Transactions tx;

  private static final String BY_CITY = "SELECT admdvs, count(*), "
      + "count(*) FILTER (WHERE " + MessageState.isIn(MessageState.DEAD_LETTERED, MessageState.FAILED) + "), "
      + "count(*) FILTER (WHERE " + MessageState.isIn(MessageState.FORWARDING) + " OR (delivery = 'STORE_AND_FORWARD' "
      + "AND " + MessageState.notIn(MessageState.ACKNOWLEDGED, MessageState.DEAD_LETTERED) + ")) "
      + "FROM message WHERE id > ? GROUP BY admdvs";

  MessageCounts(Transactions tx) {
    this.tx = tx;
  }

  /** A point in the message table: counts {@link #byCity(Mark) since} it leave out what came before. */
  public record Mark(long lastRowId) {}

  /**
   * One city's messages: all, given up (dead-lettered or failed), and still in flight (being forwarded,
   * or stored and not yet acknowledged).
   */
  public record Counts(long total, long failed, long inFlight) {}

  Mark mark() throws SQLException {
    return tx.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT coalesce(max(id), 0) FROM message");
          ResultSet rs = s.executeQuery()) {
        rs.next();
        return new Mark(rs.getLong(1));
      }
    });
  }

  Map<String, Counts> byCity(Mark since) throws SQLException {
    return tx.read(c -> {
      Map<String, Counts> out = new HashMap<>();
      try (PreparedStatement s = c.prepareStatement(BY_CITY)) {
        s.setLong(1, since.lastRowId());
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            out.put(rs.getString(1).trim(), new Counts(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
          }
        }
      }
      return out;
    });
  }

  List<String> auditEvents(String messageId) throws SQLException {
    return tx.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT event FROM audit_event WHERE message_id = ? ORDER BY id")) {
        s.setString(1, messageId);
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
        return out;
      }
    });
  }
}
