package io.hmb.gateway.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Appends audit events inside the caller's transaction, so a state change and its audit row commit
 * together or not at all. The hash chain is added afterwards by {@link AuditChain}.
 */
public final class AuditLog {
  /** An audit event's columns, in the order {@link #append} binds them; statements that write events name these. */
  public static final String COLUMNS =
      "at, event, message_id, sender, recipient, message_type, admdvs, ciphertext_digest, detail";
  private static final String INSERT = "INSERT INTO audit_event(" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?)";

  private AuditLog() {}

  /**
   * A change of many messages and an audit event for each row it changed, in one statement: {@code change}
   * returns {@code id} and the columns an event names ({@code message_id, sender, recipient, message_type,
   * admdvs, ciphertext_digest}); the events are written in {@code id} order, and the statement returns what
   * {@code change} did. Bind the change's parameters first, then {@link #bindEachRow} at their count.
   */
  public static String withEventPerRow(String change) {
    return withEventPerRow("", change, "SELECT * FROM change");
  }

  /**
   * As {@link #withEventPerRow(String)}, after the common table expressions {@code before} (empty, or ending in a
   * comma), which {@code change} and {@code result} may both read, and returning what {@code result} selects.
   */
  public static String withEventPerRow(String before, String change, String result) {
    return "WITH " + before + " change AS (" + change + "), event AS (INSERT INTO audit_event(" + COLUMNS + ") SELECT "
        + "?::timestamptz, ?::text, message_id, sender, recipient, message_type, admdvs, ciphertext_digest, ?::text "
        + "FROM change ORDER BY id) " + result;
  }

  /** Binds the three values {@link #withEventPerRow} takes after the change's first {@code offset} parameters. */
  public static void bindEachRow(PreparedStatement s, int offset, Instant at, AuditEvent event, String detail)
      throws SQLException {
    s.setTimestamp(offset + 1, Timestamp.from(at));
    s.setString(offset + 2, event.name());
    s.setString(offset + 3, detail == null ? "" : detail);
  }

  public static void append(Connection c, Instant at, AuditEvent event, AuditedMessage m, String detail)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(INSERT)) {
      bind(s, at, event, m, detail);
      s.executeUpdate();
    }
  }

  /** Binds an event's nine values. */
  static void bind(PreparedStatement s, Instant at, AuditEvent event, AuditedMessage m, String detail)
      throws SQLException {
    s.setTimestamp(1, Timestamp.from(at));
    s.setString(2, event.name());
    s.setString(3, m.messageId());
    s.setString(4, m.sender());
    s.setString(5, m.recipient());
    s.setString(6, m.messageType());
    s.setString(7, m.admdvs());
    s.setBytes(8, m.ciphertextDigest());
    s.setString(9, detail == null ? "" : detail);
  }
}
