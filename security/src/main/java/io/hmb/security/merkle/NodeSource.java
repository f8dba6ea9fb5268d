package io.hmb.security.merkle;

/**
 * Where a tree's stored nodes come from: the hash of the complete subtree of height {@code level} whose
 * leaves are {@code index * 2^level} up to {@code (index + 1) * 2^level - 1} (level 0: the leaf hashes).
 * Every subtree an RFC 9162 tree is built of, and so every proof, is such a complete aligned subtree or
 * is computed from them; a store keeps each one when its last leaf arrives ({@link CompactRange}).
 *
 * @param <E> what reading a node can fail with (a database error, say)
 */
@FunctionalInterface
public interface NodeSource<E extends Exception> {
  byte[] node(int level, long index) throws E;
}
