package io.hmb.security.merkle;

import java.util.List;

/**
 * Verifies RFC 9162 inclusion and consistency proofs (sections 2.1.3.2 and 2.1.4.2) against root
 * hashes the verifier trusts (from signed checkpoints). Pure functions of their arguments: false for any
 * proof that does not lead exactly to the given roots, malformed or out-of-range input included; they
 * never throw on what a peer sent.
 */
public final class MerkleProofs {
  private MerkleProofs() {}

  /** True when {@code proof} shows the leaf {@code leafHash} at {@code index} in the tree {@code root} of {@code size} leaves. */
  public static boolean verifyInclusion(TreeHasher hasher, long index, long size, byte[] leafHash, List<byte[]> proof,
      byte[] root) {
    if (index < 0 || index >= size || !hasher.wellFormed(leafHash) || !hasher.wellFormed(root) || proof == null) {
      return false;
    }
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      if (sn == 0 || !hasher.wellFormed(p)) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = hasher.node(p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        r = hasher.node(r, p);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    return sn == 0 && TreeHasher.same(r, root);
  }

  /** True when {@code proof} shows the tree {@code secondRoot} of {@code second} leaves extends {@code firstRoot} of {@code first}. */
  public static boolean verifyConsistency(TreeHasher hasher, long first, long second, byte[] firstRoot,
      byte[] secondRoot, List<byte[]> proof) {
    if (first < 1 || first > second || !hasher.wellFormed(firstRoot) || !hasher.wellFormed(secondRoot)
        || proof == null) {
      return false;
    }
    if (first == second) {
      return proof.isEmpty() && TreeHasher.same(firstRoot, secondRoot);
    }
    if (proof.isEmpty()) {
      return false;
    }
    for (byte[] p : proof) {
      if (!hasher.wellFormed(p)) {
        return false;
      }
    }
    int i = 0;
    byte[] start;
    if (Long.bitCount(first) == 1) {
      start = firstRoot; // the first tree is a complete subtree of the second: the proof omits it
    } else {
      start = proof.get(i++);
    }
    long fn = first - 1;
    long sn = second - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    byte[] fr = start;
    byte[] sr = start;
    for (; i < proof.size(); i++) {
      byte[] c = proof.get(i);
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = hasher.node(c, fr);
        sr = hasher.node(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        sr = hasher.node(sr, c);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    return sn == 0 && TreeHasher.same(fr, firstRoot) && TreeHasher.same(sr, secondRoot);
  }
}
