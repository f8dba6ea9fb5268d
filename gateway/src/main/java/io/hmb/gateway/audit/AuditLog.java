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
  private AuditLog() {}

  public static void append(Connection c, Instant at, AuditEvent event, AuditedMessage m, String detail)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO audit_event(at, event, message_id, sender, "
        + "recipient, message_type, admdvs, ciphertext_digest, detail) VALUES (?,?,?,?,?,?,?,?,?)")) {
      bind(s, at, event, m, detail);
      s.executeUpdate();
    }
  }

  /** Many events in one round trip (a delivery batch, an acknowledgement batch). */
  public static void appendAll(Connection c, Instant at, AuditEvent event, java.util.List<? extends AuditedMessage> refs, String detail)
      throws SQLException {
    if (refs.isEmpty()) {
      return;
    }
    try (PreparedStatement s = c.prepareStatement("INSERT INTO audit_event(at, event, message_id, sender, "
        + "recipient, message_type, admdvs, ciphertext_digest, detail) VALUES (?,?,?,?,?,?,?,?,?)")) {
      for (AuditedMessage m : refs) {
        bind(s, at, event, m, detail);
        s.addBatch();
      }
      s.executeBatch();
    }
  }

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
