package io.hmb.security.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * Root hashes and proofs of an append-only RFC 9162 Merkle tree whose complete subtrees a
 * {@link NodeSource} holds: MTH (section 2.1.1), PATH (2.1.3.1) and PROOF/SUBPROOF (2.1.4.1), with the
 * RFC's own recursions. A complete subtree is read, never recomputed, so a proof of a tree of n leaves
 * reads O(log² n) nodes. The producer's side; {@link MerkleProofs} is the verifier's.
 */
public final class MerkleTree<E extends Exception> {
  private final TreeHasher hasher;
  private final NodeSource<E> nodes;

  public MerkleTree(TreeHasher hasher, NodeSource<E> nodes) {
    this.hasher = hasher;
    this.nodes = nodes;
  }

  /** The root hash of the first {@code size} leaves (the empty root for 0). */
  public byte[] root(long size) throws E {
    checkSize(size);
    return size == 0 ? hasher.emptyRoot() : hash(0, size);
  }

  /** The audit path of leaf {@code index} in the tree of the first {@code size} leaves, leaf side first. */
  public List<byte[]> inclusionProof(long index, long size) throws E {
    checkSize(size);
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
    }
    List<byte[]> proof = new ArrayList<>();
    path(index, 0, size, proof);
    return proof;
  }

  /** The nodes that prove the tree of {@code first} leaves is a prefix of the tree of {@code second}. */
  public List<byte[]> consistencyProof(long first, long second) throws E {
    checkSize(second);
    if (first < 1 || first > second) {
      throw new IllegalArgumentException("no consistency proof from " + first + " to " + second);
    }
    List<byte[]> proof = new ArrayList<>();
    if (first < second) {
      subproof(first, 0, second, true, proof);
    }
    return proof;
  }

  /** MTH of the {@code n} leaves from {@code start}; n > 0, start a multiple of the largest power of two below n. */
  private byte[] hash(long start, long n) throws E {
    if (Long.bitCount(n) == 1) {
      int level = Long.numberOfTrailingZeros(n);
      return nodes.node(level, start >>> level);
    }
    long k = Long.highestOneBit(n - 1);
    return hasher.node(hash(start, k), hash(start + k, n - k));
  }

  private void path(long m, long start, long n, List<byte[]> out) throws E {
    if (n == 1) {
      return;
    }
    long k = Long.highestOneBit(n - 1);
    if (m < k) {
      path(m, start, k, out);
      out.add(hash(start + k, n - k));
    } else {
      path(m - k, start + k, n - k, out);
      out.add(hash(start, k));
    }
  }

  private void subproof(long m, long start, long n, boolean known, List<byte[]> out) throws E {
    if (m == n) {
      if (!known) {
        out.add(hash(start, n));
      }
      return;
    }
    long k = Long.highestOneBit(n - 1);
    if (m <= k) {
      subproof(m, start, k, known, out);
      out.add(hash(start + k, n - k));
    } else {
      subproof(m - k, start + k, n - k, false, out);
      out.add(hash(start, k));
    }
  }

  private static void checkSize(long size) {
    if (size < 0) {
      throw new IllegalArgumentException("a tree size is not negative: " + size);
    }
  }
}
