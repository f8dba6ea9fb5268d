package io.hmb.gateway.e2e;

import io.hmb.gateway.Gateway;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** Reads a message's audit events, in order, for assertions. */
final class CoreEndToEndTestAudit {
  private CoreEndToEndTestAudit() {}

  static List<String> events(Gateway gateway, String messageId) {
    try (Connection c = gateway.database().dataSource().getConnection();
         PreparedStatement s = c.prepareStatement("SELECT event FROM audit_event WHERE message_id = ? ORDER BY id")) {
      s.setString(1, messageId);
      List<String> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
