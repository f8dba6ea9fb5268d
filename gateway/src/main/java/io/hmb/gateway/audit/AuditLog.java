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
  private static final String COLUMNS =
      "at, event, message_id, sender, recipient, message_type, admdvs, ciphertext_digest, detail";
  private static final String INSERT = "INSERT INTO audit_event(" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?)";
  /** An event's values as a SELECT list, typed: unlike VALUES, a SELECT does not take its target's types. */
  private static final String TYPED_VALUES =
      "?::timestamptz, ?::text, ?::text, ?::text, ?::text, ?::text, ?::char(6), ?::bytea, ?::text";

  private AuditLog() {}

  /**
   * A state change and its audit event as one statement, so one round trip (they commit together either way):
   * {@code change} is an INSERT, UPDATE or DELETE with a RETURNING clause; the event is written only if it
   * returned a row, and the statement returns what {@code change} did. Bind the change's parameters first,
   * then the event's with {@link #bind(PreparedStatement, int, Instant, AuditEvent, AuditedMessage, String)}
   * at the change's parameter count.
   */
  public static String withEventIfChanged(String change) {
    return "WITH change AS (" + change + "), event AS (INSERT INTO audit_event(" + COLUMNS + ") SELECT "
        + TYPED_VALUES + " FROM change) SELECT * FROM change";
  }

  /**
   * A change of many messages and an audit event for each row it changed, in one statement: {@code change}
   * returns {@code id} and the columns an event names ({@code message_id, sender, recipient, message_type,
   * admdvs, ciphertext_digest}); the events are written in {@code id} order, and the statement returns what
   * {@code change} did. Bind the change's parameters first, then {@link #bindEachRow} at their count.
   */
  public static String withEventPerRow(String change) {
    return "WITH change AS (" + change + "), event AS (INSERT INTO audit_event(" + COLUMNS + ") SELECT "
        + "?::timestamptz, ?::text, message_id, sender, recipient, message_type, admdvs, ciphertext_digest, ?::text "
        + "FROM change ORDER BY id) SELECT * FROM change";
  }

  /** Binds the three values {@link #withEventPerRow} takes after the change's first {@code offset} parameters. */
  public static void bindEachRow(PreparedStatement s, int offset, Instant at, AuditEvent event, String detail)
      throws SQLException {
    s.setTimestamp(offset + 1, Timestamp.from(at));
    s.setString(offset + 2, event.name());
    s.setString(offset + 3, detail == null ? "" : detail);
  }

  /** {@code change} (without RETURNING) and its audit event in one statement; the event is written in any case. */
  public static String withEvent(String change) {
    return "WITH change AS (" + change + ") " + INSERT;
  }

  public static void append(Connection c, Instant at, AuditEvent event, AuditedMessage m, String detail)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(INSERT)) {
      bind(s, at, event, m, detail);
      s.executeUpdate();
    }
  }

  static void bind(PreparedStatement s, Instant at, AuditEvent event, AuditedMessage m, String detail)
      throws SQLException {
    bind(s, 0, at, event, m, detail);
  }

  /** Binds an event's nine values after the first {@code offset} parameters of a statement. */
  public static void bind(PreparedStatement s, int offset, Instant at, AuditEvent event, AuditedMessage m,
      String detail) throws SQLException {
    s.setTimestamp(offset + 1, Timestamp.from(at));
    s.setString(offset + 2, event.name());
    s.setString(offset + 3, m.messageId());
    s.setString(offset + 4, m.sender());
    s.setString(offset + 5, m.recipient());
    s.setString(offset + 6, m.messageType());
    s.setString(offset + 7, m.admdvs());
    s.setBytes(offset + 8, m.ciphertextDigest());
    s.setString(offset + 9, detail == null ? "" : detail);
  }
}
