package io.hmb.gateway.admin;

import io.hmb.gateway.db.Transactions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** PostgreSQL settings by name, as {@code SHOW} gives them. */
final class DatabaseSettings {
  private DatabaseSettings() {}

  static Map<String, String> read(Transactions tx, List<String> names) throws SQLException {
    return tx.read(c -> {
      Map<String, String> out = new LinkedHashMap<>();
      try (PreparedStatement s = c.prepareStatement("SELECT current_setting(?)")) {
        for (String name : names) {
          s.setString(1, name);
          try (ResultSet rs = s.executeQuery()) {
            rs.next();
            out.put(name, rs.getString(1));
          }
        }
      }
      return out;
    });
  }
}
