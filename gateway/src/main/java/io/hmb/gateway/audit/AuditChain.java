package io.hmb.gateway.audit;

import io.hmb.gateway.db.Transactions;
import io.hmb.security.Sm3;
import io.hmb.security.merkle.CompactRange;
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
 * ({@link AuditTree}) over them in the same transaction. It finds them above a floor below which every
 * event is linked, kept on the chain's newest row (V12, {@link Floor}), so a pass reads what is new, not the
 * trail.
 */
public final class AuditChain {
  static final long CHAIN_LOCK = 0x484d4241_55444954L; // "HMBAUDIT"
  static final byte[] GENESIS = new byte[32];
  private static final int BATCH = 1000;
  /** How long {@link #catchUp} waits before asking again for a chain another chainer holds. */
  private static final long LOCKED_RETRY_MS = 20;
  /**
   * The next unchained events, oldest first: those above the floor (every event at or below it is linked)
   * and up to the last id taken, that the chain does not hold. The ids are found first and then looked up.
   * Both bounds, so that the planner walks the primary key even before the table has statistics; OFFSET 0
   * keeps the anti-join a probe of the chain's event_id index per event above the floor (as a hash or merge
   * join PostgreSQL reads the whole chain; found with pg_stat_statements under ./hmb bench in V7's days).
   */
  static final String NEXT_BATCH = "SELECT e.id, e.at, e.event, e.message_id, e.sender, e.recipient, e.message_type, "
      + "e.admdvs, e.ciphertext_digest, e.detail FROM audit_event e WHERE e.id = ANY(ARRAY("
      + "SELECT x.id FROM audit_event x WHERE x.id > ? AND x.id <= ? AND NOT EXISTS (SELECT 1 FROM audit_chain ch "
      + "WHERE ch.event_id = x.id OFFSET 0) ORDER BY x.id LIMIT ?)) ORDER BY e.id";
  /*
   * Every statement of a pass is a prepared one, also those without parameters: the driver prepares a statement
   * on the server after a few uses on a connection, and then PostgreSQL no longer plans it on every pass (plain
   * statements were planned each time: seen with ./hmb bench --pg-statements).
   */
  private static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock(" + CHAIN_LOCK + ")";
  /** The chain's newest row, and how many complete blocks the tree has stored ({@link AuditTree#STORED_BLOCKS}). */
  private static final String NEWEST = "SELECT position, hash, floor, floor_next, floor_next_xid, ("
      + AuditTree.STORED_BLOCKS + ") FROM audit_chain ORDER BY position DESC LIMIT 1";
  /** The highest event id taken so far, committed or not (V12: always after its transaction's id). */
  private static final String LAST_EVENT_ID_TAKEN =
      "SELECT coalesce(pg_sequence_last_value('audit_event_id_seq'::regclass), 0)";
  /** The oldest transaction still running anywhere in the cluster, as a 64-bit id. */
  private static final String OLDEST_RUNNING = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint";
  private static final String OWN_XID = "SELECT pg_current_xact_id()::text::bigint";

  private final Transactions tx;
  /**
   * What this object's last committed pass left: the chain's length then, the floor it computed (for passes
   * that link nothing: only a linking pass writes a row to keep it on) and the Merkle tree's right edge over
   * the whole chain, or null when the tree was still behind it, so that a pass hashes only its own events
   * into the tree. Used only while the chain still ends where it did and the tree has the blocks the edge
   * implies: after another node's pass, or rows removed by hand, what the database holds is what counts.
   */
  private volatile Remembered remembered;

  private record Remembered(long position, Floor floor, CompactRange tree) {
    boolean treeMatches(long storedBlocks) {
      return tree != null && tree.size() == position && tree.size() / AuditTree.BLOCK == storedBlocks;
    }
  }

  public AuditChain(Transactions tx) {
    this.tx = tx;
  }

  /**
   * Every event with an id up to {@code floor} is linked. {@code next}, when set: every event id up to it was
   * taken by a transaction older than {@code nextXid}; once none of those runs any more, a pass that links
   * every visible event above the floor up to {@code next} may raise the floor to it (V12).
   */
  record Floor(long floor, Long next, Long nextXid) {
    static final Floor NONE = new Floor(0, null, null);

    static Floor higher(Floor a, Floor b) {
      return b == null || a.floor >= b.floor ? a : b;
    }
  }

  /**
   * Chains up to one batch of unchained events. The result says how many, or that there was nothing
   * to link, or that another chainer (this node's or another node's) holds the chain, in which case
   * nothing can be concluded about what is left.
   */
  public ChainPass chainPending() throws SQLException {
    Remembered[] committed = new Remembered[1];
    ChainPass pass = tx.inTransaction(c -> {
      try (PreparedStatement lock = c.prepareStatement(TRY_LOCK); ResultSet rs = lock.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1)) {
          return ChainPass.LOCKED_ELSEWHERE;
        }
      }
      long position = 0;
      byte[] prev = GENESIS;
      Floor kept = Floor.NONE;
      long storedBlocks = 0;
      try (PreparedStatement newest = c.prepareStatement(NEWEST); ResultSet rs = newest.executeQuery()) {
        if (rs.next()) {
          position = rs.getLong(1);
          prev = rs.getBytes(2);
          long floor = rs.getLong(3);
          if (!rs.wasNull()) {
            kept = new Floor(floor, (Long) rs.getObject(4), (Long) rs.getObject(5));
          }
          storedBlocks = rs.getLong(6);
        }
      }
      Remembered mine = remembered;
      boolean chainAsLeft = mine != null && mine.position() == position;
      Floor from = chainAsLeft ? Floor.higher(kept, mine.floor()) : kept;
      // The Merkle tree follows the chain in the same transaction. From the edge this object left, or else
      // from the stored blocks and the events after them (this catches up with a chain older than the tree).
      List<CompactRange.Node> treeNodes = new ArrayList<>();
      CompactRange tree = chainAsLeft && mine.treeMatches(storedBlocks)
          ? mine.tree().copy() : AuditTree.resume(c, position, BATCH, treeNodes);
      int grown = treeNodes.size(); // blocks built over an older chain: work done even if no event is new
      boolean treeInStep = tree.size() == position;
      // In this order, each in a statement of its own: the ids taken, then the transactions running. Every
      // event id taken by then belongs to a transaction whose id was taken before (audit_event.id's default,
      // V12 and V16), so older than this pass's own, which is taken after.
      long lastTaken = single(c, LAST_EVENT_ID_TAKEN);
      boolean nextIsDue = from.nextXid() != null && single(c, OLDEST_RUNNING) >= from.nextXid();
      List<Object[]> rows = new ArrayList<>();
      long lastLinkedId = from.floor();
      try (PreparedStatement s = c.prepareStatement(NEXT_BATCH)) {
        s.setLong(1, from.floor());
        s.setLong(2, lastTaken);
        s.setInt(3, BATCH);
        try (ResultSet rs = s.executeQuery()) {
          // An event whose transaction commits late is not visible yet: it stays above the floor (which
          // rises only past ids whose transactions have all ended) and is linked in a later pass.
          while (rs.next()) {
            byte[] hash = link(prev, rs);
            if (treeInStep) {
              tree.append(AuditTree.leaf(rs, 0), AuditTree.keepStored(treeNodes));
            }
            lastLinkedId = rs.getLong(1);
            rows.add(new Object[] {++position, lastLinkedId, prev, hash});
            prev = hash;
          }
        }
      }
      boolean wholeBatch = rows.size() == BATCH;
      Floor after = from;
      if (nextIsDue && (!wholeBatch || lastLinkedId >= from.next())) {
        after = new Floor(Math.max(from.floor(), from.next()), null, null); // every visible event up to next linked
      } else if (nextIsDue) {
        after = new Floor(Math.max(from.floor(), lastLinkedId), from.next(), from.nextXid()); // a full batch, part way
      }
      if (after.next() == null && (!rows.isEmpty() || lastTaken > after.floor())) {
        // Taking a transaction id costs an idle pass a commit record, so only when there is a floor to raise.
        after = new Floor(after.floor(), lastTaken, single(c, OWN_XID));
      }
      if (!rows.isEmpty()) {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO audit_chain(position, event_id, prev_hash, "
            + "hash, floor, floor_next, floor_next_xid) VALUES (?,?,?,?,?,?,?)")) {
          for (int i = 0; i < rows.size(); i++) {
            Object[] r = rows.get(i);
            boolean last = i == rows.size() - 1;
            insert.setLong(1, (Long) r[0]);
            insert.setLong(2, (Long) r[1]);
            insert.setBytes(3, (byte[]) r[2]);
            insert.setBytes(4, (byte[]) r[3]);
            insert.setObject(5, last ? after.floor() : null, java.sql.Types.BIGINT);
            insert.setObject(6, last ? after.next() : null, java.sql.Types.BIGINT);
            insert.setObject(7, last ? after.nextXid() : null, java.sql.Types.BIGINT);
            insert.addBatch();
          }
          insert.executeBatch();
        }
      }
      AuditTree.store(c, treeNodes);
      committed[0] = new Remembered(position, after, treeInStep ? tree : null);
      return ChainPass.of(Math.max(rows.size(), grown));
    });
    if (committed[0] != null) {
      remembered = committed[0]; // true only once the rows it counts are committed
    }
    return pass;
  }

  private static long single(java.sql.Connection c, String query) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(query); ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
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
