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
 * The audit log's Merkle tree (V10, V13): leaf i is the event at chain position i + 1. Only every
 * {@value #STRIDE}th level is stored in {@code audit_tree} ({@link #isStored}): a complete subtree of
 * height 4, 8, 12 ... as its last leaf arrives, about one row per 15 events instead of two per event. Any
 * other node is computed when read, from at most 2^({@value #STRIDE} - 1) stored nodes of the level below
 * it or, under level {@value #STRIDE}, from at most as many events; so a root or a proof of any size still
 * reads O(log² n) rows. Extended by the chainer inside its transaction ({@link AuditChain}); read by the
 * checkpointer, the proof RPCs and {@code audit verify}. Stateless: every method works on the caller's
 * connection.
 */
public final class AuditTree {
  static final TreeHasher HASHER = TreeHasher.SM3;
  /**
   * Levels between stored ones, and the lowest stored level. A schema fact (V13's check on audit_tree):
   * 4 keeps the tree's writes under a tenth of a row per event while a computed node reads at most 8 rows.
   */
  static final int STRIDE = 4;
  /** Leaves per node of the lowest stored level. */
  static final long BLOCK = 1L << STRIDE;
  /** An audit event's columns, in {@link #entry}'s order. */
  static final String EVENT_COLUMNS = "e.id, e.at, e.event, e.message_id, e.sender, e.recipient, e.message_type, "
      + "e.admdvs, e.ciphertext_digest, e.detail";
  /** The tree's complete blocks: how many nodes of the lowest stored level there are. */
  static final String STORED_BLOCKS = "SELECT coalesce(max(idx) + 1, 0) FROM audit_tree WHERE level = " + STRIDE;
  private static final String EVENTS_AT = "SELECT ch.position, " + EVENT_COLUMNS + " FROM audit_chain ch "
      + "LEFT JOIN audit_event e ON e.id = ch.event_id WHERE ch.position BETWEEN ? AND ? ORDER BY ch.position";

  private AuditTree() {}

  /** Whether a node of this height is kept in audit_tree (the others are computed). */
  static boolean isStored(int level) {
    return level > 0 && level % STRIDE == 0;
  }

  /**
   * How many leaves the tree has: the chain's length, as far as the stored blocks reach (a block's node is
   * stored with its last leaf's chain row, except while the chainer is still building the tree over an older
   * chain); the leaves after the last complete block are computed from their events.
   */
  public static long size(Connection c) throws SQLException {
    try (ResultSet rs = c.createStatement().executeQuery("SELECT least((SELECT coalesce(max(position), 0) FROM "
        + "audit_chain), (" + STORED_BLOCKS + ") * " + BLOCK + " + " + (BLOCK - 1) + ")")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The tree, for roots and proofs of sizes up to {@link #size}. */
  public static MerkleTree<SQLException> tree(Connection c) {
    return new MerkleTree<>(HASHER, nodes(c));
  }

  /**
   * The tree's right edge at the end of its stored blocks, extended leaf by leaf over the chain's events
   * after them, up to {@code chainLength} but at most {@code limit} leaves: the chainer's starting point when
   * it has none in memory (a new process, another node's pass, an older chain than the tree). The stored
   * nodes this completes go to {@code completed}, for {@link #store}.
   */
  static CompactRange resume(Connection c, long chainLength, int limit, List<CompactRange.Node> completed)
      throws SQLException {
    long blocks;
    try (ResultSet rs = c.createStatement().executeQuery(STORED_BLOCKS)) {
      rs.next();
      blocks = rs.getLong(1);
    }
    long size = Math.min(blocks * BLOCK, chainLength);
    NodeSource<SQLException> nodes = nodes(c);
    List<byte[]> edge = new ArrayList<>();
    for (long[] n : CompactRange.edgeOf(size)) {
      edge.add(nodes.node((int) n[0], n[1]));
    }
    CompactRange range = CompactRange.of(HASHER, size, edge);
    long to = Math.min(chainLength, size + limit);
    if (to > size) {
      for (byte[] leaf : leaves(c, size, to)) {
        range.append(leaf, keepStored(completed));
      }
    }
    return range;
  }

  /** A sink that keeps the nodes audit_tree stores. */
  static CompactRange.Sink<RuntimeException> keepStored(List<CompactRange.Node> into) {
    return node -> {
      if (isStored(node.level())) {
        into.add(node);
      }
    };
  }

  /** Inserts stored nodes, in one round trip. */
  static void store(Connection c, List<CompactRange.Node> nodes) throws SQLException {
    if (nodes.isEmpty()) {
      return;
    }
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO audit_tree(level, idx, hash) VALUES (?,?,?)")) {
      for (CompactRange.Node node : nodes) {
        insert.setInt(1, node.level());
        insert.setLong(2, node.index());
        insert.setBytes(3, node.hash());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /** The leaf hash of an event whose {@link #EVENT_COLUMNS} start after column {@code offset}. */
  static byte[] leaf(ResultSet rs, int offset) throws SQLException {
    return AuditLeaf.hash(entry(rs, offset));
  }

  /** The leaf hashes of leaves {@code from} (inclusive) to {@code to} (exclusive), from their events. */
  private static List<byte[]> leaves(Connection c, long from, long to) throws SQLException {
    List<byte[]> out = new ArrayList<>((int) (to - from));
    try (PreparedStatement s = c.prepareStatement(EVENTS_AT)) {
      s.setLong(1, from + 1);
      s.setLong(2, to);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          long position = rs.getLong(1);
          if (position != from + out.size() + 1 || rs.getObject(2) == null) {
            break;
          }
          out.add(leaf(rs, 1));
        }
      }
    }
    if (out.size() != to - from) {
      throw new IllegalStateException("the audit chain has no event at position " + (from + out.size() + 1)
          + ": the trail was tampered with; the log stops growing until it is repaired (run hmb audit verify)");
    }
    return out;
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
    try (PreparedStatement leaves = c.prepareStatement("SELECT ch.position, " + EVENT_COLUMNS + " FROM audit_chain ch "
             + "LEFT JOIN audit_event e ON e.id = ch.event_id WHERE ch.position <= ? ORDER BY ch.position");
         PreparedStatement stored = c.prepareStatement("SELECT level, idx, hash FROM audit_tree "
             + "ORDER BY (idx + 1) << level, level")) {
      leaves.setLong(1, treeSize);
      leaves.setFetchSize(1000);
      stored.setFetchSize(1000);
      try (ResultSet rs = leaves.executeQuery(); ResultSet nodes = stored.executeQuery()) {
        long index = 0;
        String[] nodeBreak = {null};
        while (rs.next()) {
          long position = index + 1;
          if (rs.getLong(1) != position) {
            return broken.apply("leaf " + index + " has no chain row at position " + position + ": it was deleted");
          }
          if (rs.getObject(2) == null) {
            return broken.apply("leaf " + index + " (chain position " + position + ") has no audit event: it was deleted");
          }
          range.append(leaf(rs, 1), node -> {
            if (!isStored(node.level()) || nodeBreak[0] != null) {
              return;
            }
            if (!nodes.next() || nodes.getInt(1) != node.level() || nodes.getLong(2) != node.index()
                || !java.util.Arrays.equals(nodes.getBytes(3), node.hash())) {
              nodeBreak[0] = "the stored subtree " + node.level() + "/" + node.index() + " is not the hash of its leaves: "
                  + "an event under it was altered, or the subtree was";
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
        if (index != treeSize) {
          return broken.apply("leaf " + index + " has no chain row at position " + (index + 1) + ": it was deleted");
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

  /**
   * Every node of the tree: a stored one is read; any other is folded up from the 2^k nodes of the stored
   * level (or the leaves) k levels below it, read in one query.
   */
  private static NodeSource<SQLException> nodes(Connection c) {
    return (level, index) -> {
      int base = level - level % STRIDE;
      long first = index << (level - base);
      long count = 1L << (level - base);
      List<byte[]> below = base == 0 ? leaves(c, first, first + count) : storedNodes(c, base, first, count);
      while (below.size() > 1) {
        List<byte[]> up = new ArrayList<>(below.size() / 2);
        for (int i = 0; i < below.size(); i += 2) {
          up.add(HASHER.node(below.get(i), below.get(i + 1)));
        }
        below = up;
      }
      return below.get(0);
    };
  }

  private static List<byte[]> storedNodes(Connection c, int level, long first, long count) throws SQLException {
    List<byte[]> out = new ArrayList<>((int) count);
    try (PreparedStatement s = c.prepareStatement("SELECT idx, hash FROM audit_tree WHERE level = ? AND idx BETWEEN ? AND ? "
        + "ORDER BY idx")) {
      s.setInt(1, level);
      s.setLong(2, first);
      s.setLong(3, first + count - 1);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next() && rs.getLong(1) == first + out.size()) {
          out.add(rs.getBytes(2));
        }
      }
    }
    if (out.size() != count) {
      throw new SQLException("audit_tree has no node " + level + "/" + (first + out.size()) + ": the tree is incomplete");
    }
    return out;
  }
}
