package io.hmb.gateway.audit;

import com.google.protobuf.ByteString;
import io.hmb.api.v1.AuditEntry;
import io.hmb.security.merkle.AuditLeaf;
import io.hmb.security.merkle.CompactRange;
import io.hmb.security.merkle.MerkleTree;
import io.hmb.security.merkle.NodeSource;
import io.hmb.security.merkle.TreeHasher;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit log's Merkle tree in {@code audit_tree} (V10): leaf i is the event at chain position i + 1,
 * and every complete subtree is stored as its last leaf arrives, so a root or a proof of any size reads
 * O(log² n) rows. Extended by the chainer inside its transaction; read by the checkpointer, the proof
 * RPCs and {@code audit verify}. Stateless: every method works on the caller's connection.
 */
public final class AuditTree {
  static final TreeHasher HASHER = TreeHasher.SM3;
  /** An audit event's columns, in {@link #entry}'s order. */
  static final String EVENT_COLUMNS = "e.id, e.at, e.event, e.message_id, e.sender, e.recipient, e.message_type, "
      + "e.admdvs, e.ciphertext_digest, e.detail";

  private AuditTree() {}

  /** How many leaves the stored tree has. */
  public static long size(Connection c) throws SQLException {
    try (ResultSet rs = c.createStatement().executeQuery("SELECT coalesce(max(idx) + 1, 0) FROM audit_tree WHERE level = 0")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The stored tree, for roots and proofs of sizes up to {@link #size}. */
  public static MerkleTree<SQLException> tree(Connection c) {
    return new MerkleTree<>(HASHER, nodes(c));
  }

  /**
   * Appends a leaf for each chained event beyond the tree, up to {@code limit}, oldest first: in the
   * chainer's transaction right after it links events, and over chains older than the tree (V10) in as
   * many passes as they need. How many leaves it added.
   */
  static int extend(Connection c, int limit) throws SQLException {
    long size = size(c);
    List<byte[]> edge = new ArrayList<>();
    NodeSource<SQLException> nodes = nodes(c);
    for (long[] n : CompactRange.edgeOf(size)) {
      edge.add(nodes.node((int) n[0], n[1]));
    }
    CompactRange range = CompactRange.of(HASHER, size, edge);
    int added = 0;
    try (PreparedStatement next = c.prepareStatement("SELECT ch.position, " + EVENT_COLUMNS + " FROM audit_chain ch "
             + "LEFT JOIN audit_event e ON e.id = ch.event_id WHERE ch.position > ? ORDER BY ch.position LIMIT ?");
         PreparedStatement insert = c.prepareStatement("INSERT INTO audit_tree(level, idx, hash) VALUES (?,?,?)")) {
      next.setLong(1, size);
      next.setInt(2, limit);
      try (ResultSet rs = next.executeQuery()) {
        while (rs.next()) {
          long position = rs.getLong(1);
          if (position != range.size() + 1 || rs.getObject(2) == null) {
            throw new IllegalStateException("the audit chain has no event at position " + (range.size() + 1)
                + ": the trail was tampered with; the log stops growing until it is repaired (run hmb audit verify)");
          }
          range.append(AuditLeaf.hash(entry(rs, 1)), node -> {
            insert.setInt(1, node.level());
            insert.setLong(2, node.index());
            insert.setBytes(3, node.hash());
            insert.addBatch();
          });
          added++;
        }
      }
      if (added > 0) {
        insert.executeBatch();
      }
    }
    return added;
  }

  /** An entry with its place in the log. */
  public record Logged(AuditEntry entry, long leafIndex) {}

  /** The entries of one message within the first {@code size} leaves, in log order. */
  public static List<Logged> entriesOf(Connection c, String messageId, long size) throws SQLException {
    List<Logged> out = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("SELECT ch.position, " + EVENT_COLUMNS + " FROM audit_event e "
        + "JOIN audit_chain ch ON ch.event_id = e.id WHERE e.message_id = ? AND ch.position <= ? ORDER BY ch.position")) {
      s.setString(1, messageId);
      s.setLong(2, size);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(new Logged(entry(rs, 1), rs.getLong(1) - 1));
        }
      }
    }
    return out;
  }

  /** What {@link #verify} found: the tree's size, the newest checkpoint's, and the first discrepancy. */
  public record TreeCheck(long treeSize, long checkpointSize, java.util.Optional<String> firstBreak) {}

  /**
   * Recomputes the whole tree from the events, in one snapshot: every leaf from its event, every stored
   * subtree from its children, and the root at every checkpoint's size, which must be the signed root.
   * A rewritten, removed or reordered event changes the root of every checkpoint after it (and a
   * recomputed tree cannot carry the signature); a cut log is smaller than its newest checkpoint.
   * {@code checkpoints} in file order (sizes never shrink).
   */
  static TreeCheck verify(Connection c, List<io.hmb.security.merkle.Checkpoint> checkpoints) throws SQLException {
    long treeSize = size(c);
    long signed = checkpoints.isEmpty() ? 0 : checkpoints.get(checkpoints.size() - 1).treeSize();
    java.util.function.Function<String, TreeCheck> broken = why -> new TreeCheck(treeSize, signed, java.util.Optional.of(why));
    for (int i = 1; i < checkpoints.size(); i++) {
      if (checkpoints.get(i).treeSize() < checkpoints.get(i - 1).treeSize()) {
        return broken.apply("checkpoint " + (i + 1) + " is smaller than the one before it");
      }
    }
    if (treeSize < signed) {
      return broken.apply("the log holds " + treeSize + " entries but the newest checkpoint signed "
          + signed + ": entries were removed");
    }
    CompactRange range = CompactRange.empty(HASHER);
    int next = 0;
    while (next < checkpoints.size() && checkpoints.get(next).treeSize() == 0) {
      if (!java.util.Arrays.equals(checkpoints.get(next).rootHash(), HASHER.emptyRoot())) {
        return broken.apply("checkpoint " + (next + 1) + " signed a root for an empty log that is not the empty root");
      }
      next++;
    }
    try (PreparedStatement leaves = c.prepareStatement("SELECT ch.position, " + EVENT_COLUMNS + ", t.hash, t.idx "
             + "FROM audit_tree t LEFT JOIN audit_chain ch ON ch.position = t.idx + 1 "
             + "LEFT JOIN audit_event e ON e.id = ch.event_id WHERE t.level = 0 ORDER BY t.idx");
         PreparedStatement inner = c.prepareStatement("SELECT level, idx, hash FROM audit_tree WHERE level > 0 "
             + "ORDER BY (idx + 1) << level, level")) {
      leaves.setFetchSize(1000);
      inner.setFetchSize(1000);
      try (ResultSet rs = leaves.executeQuery(); ResultSet nodes = inner.executeQuery()) {
        long index = 0;
        String[] nodeBreak = {null};
        while (rs.next()) {
          long position = index + 1;
          if (rs.getLong(13) != index) {
            return broken.apply("leaf " + index + " is missing from the tree: it was deleted");
          }
          if (rs.getObject(1) == null || rs.getObject(2) == null) {
            return broken.apply("leaf " + index + " (chain position " + position + ") has no "
                + (rs.getObject(1) == null ? "chain row" : "audit event") + ": it was deleted");
          }
          AuditEntry entry = entry(rs, 1);
          byte[] leaf = io.hmb.security.merkle.AuditLeaf.hash(entry);
          if (!java.util.Arrays.equals(leaf, rs.getBytes(12))) {
            return broken.apply("leaf " + index + " (audit event " + entry.getEventId() + ", message "
                + entry.getMessageId() + ") does not match its event: the event was altered");
          }
          range.append(leaf, node -> {
            if (node.level() == 0 || nodeBreak[0] != null) {
              return;
            }
            if (!nodes.next() || nodes.getInt(1) != node.level() || nodes.getLong(2) != node.index()
                || !java.util.Arrays.equals(nodes.getBytes(3), node.hash())) {
              nodeBreak[0] = "the stored subtree " + node.level() + "/" + node.index() + " is not the hash of its leaves";
            }
          });
          if (nodeBreak[0] != null) {
            return broken.apply(nodeBreak[0]);
          }
          index++;
          while (next < checkpoints.size() && checkpoints.get(next).treeSize() == index) {
            if (!java.util.Arrays.equals(range.root(), checkpoints.get(next).rootHash())) {
              return broken.apply("the log's first " + index + " entries do not have the root checkpoint " + (next + 1)
                  + " signed at " + checkpoints.get(next).time() + ": an entry up to there was rewritten, removed or reordered");
            }
            next++;
          }
        }
        if (nodes.next()) {
          return broken.apply("the tree stores subtree " + nodes.getInt(1) + "/" + nodes.getLong(2) + " beyond its leaves");
        }
      }
    }
    return new TreeCheck(treeSize, signed, java.util.Optional.empty());
  }

  /** The audit entry of the event whose {@link #EVENT_COLUMNS} start after column {@code offset}. */
  static AuditEntry entry(ResultSet rs, int offset) throws SQLException {
    Timestamp at = rs.getTimestamp(offset + 2);
    byte[] digest = rs.getBytes(offset + 9);
    return AuditEntry.newBuilder()
        .setEventId(rs.getLong(offset + 1))
        .setTimeMicros(Math.floorDiv(at.getTime(), 1000) * 1_000_000 + at.getNanos() / 1000)
        .setEvent(rs.getString(offset + 3))
        .setMessageId(rs.getString(offset + 4))
        .setSender(rs.getString(offset + 5))
        .setRecipient(rs.getString(offset + 6))
        .setMessageType(rs.getString(offset + 7))
        .setAdmdvs(rs.getString(offset + 8))
        .setCiphertextDigest(digest == null ? ByteString.EMPTY : ByteString.copyFrom(digest))
        .setDetail(rs.getString(offset + 10))
        .build();
  }

  private static NodeSource<SQLException> nodes(Connection c) {
    return (level, index) -> {
      try (PreparedStatement s = c.prepareStatement("SELECT hash FROM audit_tree WHERE level = ? AND idx = ?")) {
        s.setInt(1, level);
        s.setLong(2, index);
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            throw new SQLException("audit_tree has no node " + level + "/" + index + ": the tree is incomplete");
          }
          return rs.getBytes(1);
        }
      }
    };
  }
}
