package io.hmb.gateway.registry;

import io.hmb.api.v1.CipherSuite;
import io.hmb.api.v1.Role;
import io.hmb.gateway.db.Transactions;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Participants, keys and products in PostgreSQL. Writes go straight to the database; reads on the hot
 * path go through {@link RegistrySnapshot}, which this class loads.
 */
public final class Registry {
  private final Transactions tx;

  public Registry(Transactions tx) {
    this.tx = tx;
  }

  /** Thrown for a registry change that breaks a rule; the message says which and what to do. */
  public static final class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RegistryException(String message) {
      super(message);
    }
  }

  public void addParticipant(Participant p) throws SQLException {
    tx.inTransaction(c -> {
      if (exists(c, "SELECT 1 FROM participant WHERE code = ?", p.code())) {
        throw new RegistryException("participant " + p.code() + " already exists");
      }
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO participant(code, role, admdvs, display_name, status, endpoint, rate_limit_per_second, "
              + "rate_limit_burst) VALUES (?,?,?,?,?,?,?,?)")) {
        s.setString(1, p.code());
        s.setString(2, roleName(p.role()));
        s.setString(3, p.admdvs());
        s.setString(4, p.displayName());
        s.setString(5, p.status().name());
        s.setString(6, p.endpoint().orElse(null));
        s.setObject(7, p.rateLimit().map(Participant.RateLimit::perSecond).orElse(null), java.sql.Types.DOUBLE);
        s.setObject(8, p.rateLimit().map(Participant.RateLimit::burst).orElse(null), java.sql.Types.INTEGER);
        s.executeUpdate();
      }
      return null;
    });
  }

  public void setStatus(String code, Participant.Status status) throws SQLException {
    updateOne("UPDATE participant SET status = ? WHERE code = ?", status.name(), code);
  }

  /** Sets the participant's own rate limit, or with {@code null} returns it to the gateway's default. */
  public void setRateLimit(String code, Participant.RateLimit limit) throws SQLException {
    int n = tx.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE participant SET rate_limit_per_second = ?, rate_limit_burst = ? WHERE code = ?")) {
        if (limit == null) {
          s.setNull(1, java.sql.Types.DOUBLE);
          s.setNull(2, java.sql.Types.INTEGER);
        } else {
          s.setDouble(1, limit.perSecond());
          s.setInt(2, limit.burst());
        }
        s.setString(3, code);
        return s.executeUpdate();
      }
    });
    if (n != 1) {
      throw new RegistryException("no participant " + code);
    }
  }

  public void setEndpoint(String code, String endpoint) throws SQLException {
    updateOne("UPDATE participant SET endpoint = ? WHERE code = ?", endpoint, code);
  }

  /** Adds a key; when it is primary, the participant's previous primary key stops being primary. */
  public void addKey(ParticipantKey key) throws SQLException {
    tx.inTransaction(c -> {
      if (!exists(c, "SELECT 1 FROM participant WHERE code = ?", key.participantCode())) {
        throw new RegistryException("participant " + key.participantCode() + " does not exist; add it first");
      }
      if (key.primary()) {
        try (PreparedStatement s = c.prepareStatement(
            "UPDATE participant_key SET is_primary = false WHERE participant_code = ? AND is_primary")) {
          s.setString(1, key.participantCode());
          s.executeUpdate();
        }
      }
      try (PreparedStatement s = c.prepareStatement("INSERT INTO participant_key(participant_code, key_id, "
          + "cipher_suite, public_key, not_before, not_after, status, is_primary) VALUES (?,?,?,?,?,?,?,?) "
          + "ON CONFLICT (participant_code, key_id) DO NOTHING")) {
        s.setString(1, key.participantCode());
        s.setString(2, key.keyId());
        s.setString(3, key.suite().name());
        s.setBytes(4, key.publicKeyDer());
        s.setTimestamp(5, Timestamp.from(key.notBefore()));
        s.setTimestamp(6, Timestamp.from(key.notAfter()));
        s.setString(7, key.status().name());
        s.setBoolean(8, key.primary());
        if (s.executeUpdate() == 0) {
          throw new RegistryException("key " + key.keyId() + " is already registered for " + key.participantCode());
        }
      }
      return null;
    });
  }

  public void revokeKey(String code, String keyId) throws SQLException {
    updateOne("UPDATE participant_key SET status = 'REVOKED', is_primary = false "
        + "WHERE participant_code = ? AND key_id = ?", code, keyId);
  }

  /** Ends a key's validity at {@code notAfter} if it would last longer (key rotation overlap). */
  public void limitKey(String code, String keyId, java.time.Instant notAfter) throws SQLException {
    tx.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE participant_key SET not_after = ? "
          + "WHERE participant_code = ? AND key_id = ? AND not_after > ? AND not_before < ?")) {
        s.setTimestamp(1, Timestamp.from(notAfter));
        s.setString(2, code);
        s.setString(3, keyId);
        s.setTimestamp(4, Timestamp.from(notAfter));
        s.setTimestamp(5, Timestamp.from(notAfter));
        return s.executeUpdate();
      }
    });
  }

  public void addProduct(Product product) throws SQLException {
    List<String> problems = product.problems();
    if (!problems.isEmpty()) {
      throw new RegistryException(String.join("; ", problems));
    }
    tx.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO product(code, admdvs, lead_insurer, term_start, term_end) VALUES (?,?,?,?,?)")) {
        s.setString(1, product.code());
        s.setString(2, product.admdvs());
        s.setString(3, product.leadInsurer());
        s.setDate(4, Date.valueOf(product.termStart()));
        s.setDate(5, Date.valueOf(product.termEnd()));
        s.executeUpdate();
      }
      for (Product.Member m : product.members()) {
        try (PreparedStatement s = c.prepareStatement(
            "INSERT INTO product_member(product_code, insurer_code, share_bp) VALUES (?,?,?)")) {
          s.setString(1, product.code());
          s.setString(2, m.insurer());
          s.setInt(3, m.shareBp());
          s.executeUpdate();
        }
      }
      return null;
    });
  }

  /** Everything, read in one transaction so the snapshot is consistent. */
  public RegistrySnapshot load() throws SQLException {
    return tx.inTransaction(c -> new RegistrySnapshot(participants(c), keys(c), products(c)));
  }

  private static List<Participant> participants(Connection c) throws SQLException {
    List<Participant> out = new ArrayList<>();
    try (ResultSet rs = c.createStatement().executeQuery(
        "SELECT code, role, admdvs, display_name, status, endpoint, rate_limit_per_second, rate_limit_burst "
            + "FROM participant ORDER BY code")) {
      while (rs.next()) {
        double perSecond = rs.getDouble(7);
        Optional<Participant.RateLimit> limit = rs.wasNull() ? Optional.empty()
            : Optional.of(new Participant.RateLimit(perSecond, rs.getInt(8)));
        out.add(new Participant(rs.getString(1), Role.valueOf("ROLE_" + rs.getString(2)), rs.getString(3),
            rs.getString(4), Participant.Status.valueOf(rs.getString(5)), Optional.ofNullable(rs.getString(6)), limit));
      }
    }
    return out;
  }

  private static List<ParticipantKey> keys(Connection c) throws SQLException {
    List<ParticipantKey> out = new ArrayList<>();
    try (ResultSet rs = c.createStatement().executeQuery("SELECT participant_code, key_id, cipher_suite, "
        + "public_key, not_before, not_after, status, is_primary FROM participant_key "
        + "ORDER BY participant_code, is_primary DESC, not_before DESC")) {
      while (rs.next()) {
        out.add(new ParticipantKey(rs.getString(1), rs.getString(2), CipherSuite.valueOf(rs.getString(3)),
            rs.getBytes(4), rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant(),
            ParticipantKey.Status.valueOf(rs.getString(7)), rs.getBoolean(8)));
      }
    }
    return out;
  }

  private static List<Product> products(Connection c) throws SQLException {
    List<Product> out = new ArrayList<>();
    try (ResultSet rs = c.createStatement().executeQuery(
        "SELECT code, admdvs, lead_insurer, term_start, term_end FROM product ORDER BY code")) {
      while (rs.next()) {
        String code = rs.getString(1);
        List<Product.Member> members = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
            "SELECT insurer_code, share_bp FROM product_member WHERE product_code = ? ORDER BY share_bp DESC, insurer_code")) {
          s.setString(1, code);
          try (ResultSet m = s.executeQuery()) {
            while (m.next()) {
              members.add(new Product.Member(m.getString(1), m.getInt(2)));
            }
          }
        }
        out.add(new Product(code, rs.getString(2), rs.getString(3), rs.getDate(4).toLocalDate(),
            rs.getDate(5).toLocalDate(), members));
      }
    }
    return out;
  }

  private void updateOne(String sql, String a, String b) throws SQLException {
    int n = tx.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(sql)) {
        s.setString(1, a);
        s.setString(2, b);
        return s.executeUpdate();
      }
    });
    if (n != 1) {
      throw new RegistryException("no such participant or key: " + b);
    }
  }

  private static boolean exists(Connection c, String sql, String arg) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, arg);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  static String roleName(Role role) {
    return role.name().substring("ROLE_".length());
  }
}
