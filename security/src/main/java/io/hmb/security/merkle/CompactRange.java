package io.hmb.security.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * The right edge of an append-only tree: for a tree of n leaves, the hashes of the complete aligned
 * subtrees that n decomposes into (one per set bit of n, the largest first). It is all a writer needs to
 * append leaves and to know each complete subtree the moment its last leaf arrives, and all a reader
 * streaming the leaves needs to compute the root at any size: O(log n) hashes, never the whole tree.
 */
public final class CompactRange {
  /** A complete subtree: its height, its position among subtrees of that height, its hash. */
  public record Node(int level, long index, byte[] hash) {}

  /** Receives each complete subtree an append completes, the leaf first and then upwards. */
  @FunctionalInterface
  public interface Sink<E extends Exception> {
    void completed(Node node) throws E;
  }

  private final TreeHasher hasher;
  private final List<byte[]> edge;
  private long size;

  private CompactRange(TreeHasher hasher, long size, List<byte[]> edge) {
    this.hasher = hasher;
    this.size = size;
    this.edge = edge;
  }

  /** The range of the empty tree. */
  public static CompactRange empty(TreeHasher hasher) {
    return new CompactRange(hasher, 0, new ArrayList<>());
  }

  /**
   * The range of a tree of {@code size} leaves from its edge hashes, in the order of {@link #edgeOf}
   * (read them from where the tree's nodes are stored).
   */
  public static CompactRange of(TreeHasher hasher, long size, List<byte[]> edgeHashes) {
    List<long[]> expected = edgeOf(size);
    if (edgeHashes.size() != expected.size()) {
      throw new IllegalArgumentException("a tree of " + size + " leaves has " + expected.size() + " edge nodes, not "
          + edgeHashes.size());
    }
    List<byte[]> edge = new ArrayList<>();
    for (byte[] h : edgeHashes) {
      if (!hasher.wellFormed(h)) {
        throw new IllegalArgumentException("an edge node of " + hasher.hashLength() + " bytes was expected");
      }
      edge.add(h.clone());
    }
    return new CompactRange(hasher, size, edge);
  }

  /** The (level, index) of each complete subtree a tree of {@code size} leaves decomposes into, largest first. */
  public static List<long[]> edgeOf(long size) {
    if (size < 0) {
      throw new IllegalArgumentException("a tree size is not negative: " + size);
    }
    List<long[]> out = new ArrayList<>();
    long start = 0;
    for (int level = 63 - Long.numberOfLeadingZeros(Math.max(size, 1)); level >= 0; level--) {
      if ((size & (1L << level)) != 0) {
        out.add(new long[] {level, start >>> level});
        start += 1L << level;
      }
    }
    return out;
  }

  public long size() {
    return size;
  }

  /** An independent copy, to append to without changing this one (a writer's edge kept across transactions). */
  public CompactRange copy() {
    return new CompactRange(hasher, size, new ArrayList<>(edge));
  }

  /** Appends a leaf (its hash, {@link TreeHasher#leaf}); {@code sink} gets every subtree it completes. */
  public <E extends Exception> void append(byte[] leafHash, Sink<E> sink) throws E {
    if (!hasher.wellFormed(leafHash)) {
      throw new IllegalArgumentException("a leaf hash is " + hasher.hashLength() + " bytes");
    }
    long index = size;
    byte[] hash = leafHash.clone();
    int level = 0;
    sink.completed(new Node(0, index, hash));
    while ((index & 1) == 1) {
      hash = hasher.node(edge.remove(edge.size() - 1), hash);
      index >>>= 1;
      level++;
      sink.completed(new Node(level, index, hash));
    }
    edge.add(hash);
    size++;
  }

  /** The root hash of the tree so far. */
  public byte[] root() {
    if (edge.isEmpty()) {
      return hasher.emptyRoot();
    }
    byte[] r = edge.get(edge.size() - 1);
    for (int i = edge.size() - 2; i >= 0; i--) {
      r = hasher.node(edge.get(i), r);
    }
    return r;
  }
}
