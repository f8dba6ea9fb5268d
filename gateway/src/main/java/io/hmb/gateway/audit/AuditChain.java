package io.hmb.gateway.audit;

import io.hmb.gateway.db.Transactions;
import io.hmb.security.Sm3;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Links committed audit events into an SM3 hash chain, and verifies it.
 *
 * <p>hash(n) = SM3(hash(n-1) || canonical(event)), hash(0) = 32 zero bytes, where canonical(event) is
 * each field length-prefixed (4 bytes, big-endian) in a fixed order: id, time (epoch microseconds),
 * event, message_id, sender, recipient, message_type, admdvs, ciphertext_digest, detail. Writers
 * never wait for the chain: one chainer at a time (a PostgreSQL advisory lock elects it across nodes)
 * appends whatever events have committed since its last pass, and extends the log's Merkle tree
 * ({@link AuditTree}) over them in the same transaction.
 */
public final class AuditChain {
  static final long CHAIN_LOCK = 0x484d4241_55444954L; // "HMBAUDIT"
  static final byte[] GENESIS = new byte[32];
  private static final int BATCH = 1000;
  /** How long {@link #catchUp} waits before asking again for a chain another chainer holds. */
  private static final long LOCKED_RETRY_MS = 20;
  /**
   * The next unchained events, oldest first. The ids are taken from the to-do list first and then looked
   * up one by one: written as a join, PostgreSQL merge-joins the two primary keys and so reads the whole
   * trail's index on every pass (found with pg_stat_statements under ./hmb bench).
   */
  static final String NEXT_BATCH = "SELECT e.id, e.at, e.event, e.message_id, e.sender, e.recipient, e.message_type, "
      + "e.admdvs, e.ciphertext_digest, e.detail FROM audit_event e "
      + "WHERE e.id = ANY(ARRAY(SELECT event_id FROM audit_unchained ORDER BY event_id LIMIT ?)) ORDER BY e.id";

  private final Transactions tx;

  public AuditChain(Transactions tx) {
    this.tx = tx;
  }

  /**
   * Chains up to one batch of unchained events. The result says how many, or that there was nothing
   * to link, or that another chainer (this node's or another node's) holds the chain, in which case
   * nothing can be concluded about what is left.
   */
  public ChainPass chainPending() throws SQLException {
    return tx.inTransaction(c -> {
      try (ResultSet rs = c.createStatement().executeQuery("SELECT pg_try_advisory_xact_lock(" + CHAIN_LOCK + ")")) {
        rs.next();
        if (!rs.getBoolean(1)) {
          return ChainPass.LOCKED_ELSEWHERE;
        }
      }
      long position = 0;
      byte[] prev = GENESIS;
      try (ResultSet rs = c.createStatement().executeQuery(
          "SELECT position, hash FROM audit_chain ORDER BY position DESC LIMIT 1")) {
        if (rs.next()) {
          position = rs.getLong(1);
          prev = rs.getBytes(2);
        }
      }
      int chained = 0;
      // The to-do list (V7) holds only committed, unchained events: an event whose transaction commits
      // late is simply chained in a later pass, after events with higher ids.
      List<Long> done = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement(NEXT_BATCH);
           PreparedStatement insert = c.prepareStatement(
               "INSERT INTO audit_chain(position, event_id, prev_hash, hash) VALUES (?,?,?,?)")) {
        s.setInt(1, BATCH);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            byte[] hash = link(prev, rs);
            insert.setLong(1, ++position);
            insert.setLong(2, rs.getLong(1));
            insert.setBytes(3, prev);
            insert.setBytes(4, hash);
            insert.addBatch();
            done.add(rs.getLong(1));
            prev = hash;
            chained++;
          }
        }
        insert.executeBatch();
      }
      if (!done.isEmpty()) {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM audit_unchained WHERE event_id = ANY(?)")) {
          delete.setArray(1, c.createArrayOf("bigint", done.toArray()));
          delete.executeUpdate();
        }
      }
      // The Merkle tree follows the chain in the same transaction (and catches up with a chain older than it).
      int grown = AuditTree.extend(c, BATCH);
      return ChainPass.of(Math.max(chained, grown));
    });
  }

  /**
   * Chains until a pass of its own finds nothing left, waiting out other chainers, for at most
   * {@code within}. True when caught up: every event committed before the last pass began is linked.
   * False when {@code within} ran out first (the chain was locked elsewhere or still had work).
   */
  public boolean catchUp(Duration within) throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      ChainPass pass = chainPending();
      if (pass.outcome() == ChainPass.Outcome.CAUGHT_UP) {
        return true;
      }
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      if (pass.outcome() == ChainPass.Outcome.LOCKED_ELSEWHERE) {
        Thread.sleep(LOCKED_RETRY_MS);
      }
    }
  }

  /** The outcome of {@link #verify()}. */
  public record Verification(long chainedEvents, long unchainedEvents, Optional<String> firstBreak) {
    public boolean intact() {
      return firstBreak.isEmpty();
    }
  }

  /** Recomputes the whole chain from the events and names the first row that does not match. */
  public Verification verify() throws SQLException {
    // In a transaction, so that the fetch size streams the trail instead of loading it whole.
    return tx.inTransaction(c -> {
      byte[] prev = GENESIS;
      long expectedPosition = 1;
      long count = 0;
      try (PreparedStatement s = c.prepareStatement("SELECT ch.position, ch.prev_hash, ch.hash, e.id, e.at, e.event, "
          + "e.message_id, e.sender, e.recipient, e.message_type, e.admdvs, e.ciphertext_digest, e.detail "
          + "FROM audit_chain ch LEFT JOIN audit_event e ON e.id = ch.event_id ORDER BY ch.position")) {
        s.setFetchSize(1000);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            long position = rs.getLong(1);
            if (position != expectedPosition) {
              return broken(count, c, "position " + expectedPosition + " is missing (found " + position + ")");
            }
            if (!Arrays.equals(rs.getBytes(2), prev)) {
              return broken(count, c, "position " + position + " does not link to the previous row");
            }
            if (rs.getObject(4) == null) {
              return broken(count, c, "position " + position + ": its audit event was deleted");
            }
            byte[] recomputed = link(prev, new ShiftedRow(rs));
            if (!Arrays.equals(recomputed, rs.getBytes(3))) {
              return broken(count, c, "position " + position + " (audit event " + rs.getLong(4)
                  + ", message " + rs.getString(7) + ") was altered: its hash does not match its content");
            }
            prev = recomputed;
            expectedPosition++;
            count++;
          }
        }
      }
      return new Verification(count, unchained(c), Optional.empty());
    });
  }

  private static Verification broken(long count, java.sql.Connection c, String why) throws SQLException {
    return new Verification(count, unchained(c), Optional.of(why));
  }

  private static long unchained(java.sql.Connection c) throws SQLException {
    try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM audit_event e "
        + "LEFT JOIN audit_chain ch ON ch.event_id = e.id WHERE ch.event_id IS NULL")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static byte[] link(byte[] prev, ResultSet rs) throws SQLException {
    return link(prev, new ShiftedRow(rs, 0));
  }

  private static byte[] link(byte[] prev, ShiftedRow row) throws SQLException {
    Sm3.FieldHasher hasher = Sm3.newHasher().fixed(prev, Sm3.DIGEST_LENGTH);
    hasher.field(row.rs.getLong(row.offset + 1));
    java.sql.Timestamp at = row.rs.getTimestamp(row.offset + 2);
    hasher.field(at.getTime() / 1000 * 1_000_000 + at.getNanos() / 1000);
    for (int col = 3; col <= 8; col++) {
      hasher.field(row.rs.getString(row.offset + col));
    }
    byte[] ciphertextDigest = row.rs.getBytes(row.offset + 9);
    hasher.field(ciphertextDigest == null ? new byte[0] : ciphertextDigest);
    hasher.field(row.rs.getString(row.offset + 10));
    return hasher.digest();
  }

  /** An event's columns inside a wider row: verify's query has three chain columns first. */
  private static final class ShiftedRow {
    final ResultSet rs;
    final int offset;

    ShiftedRow(ResultSet rs) {
      this(rs, 3);
    }

    ShiftedRow(ResultSet rs, int offset) {
      this.rs = rs;
      this.offset = offset;
    }
  }
}
